"""Interactive widgets, one family a module (ipywidgets compositions: VBox of controls
and feedback). Import a family from its module, or use `kit.notebook.start(...)`, which
wires every widget of a notebook to one answers file."""
