"""Fixes to nbgrader's preprocessors that `kit course init` configures.

RestoreDeletedCells: nbgrader 0.9.6 puts a deleted grade cell back after "the previous
solution or grade cell" of the source, and crashes (KeyError) when that previous cell
is an ordinary locked cell, as in the kit's widget exercises where the grade cell
follows the widget's cell. The student is then not graded at all. Here the deleted
cell goes after the nearest earlier source cell that is still in the submission (or
first, if none is), which is what nbgrader intends.
"""
from __future__ import annotations

from nbgrader.preprocessors import OverwriteCells


class RestoreDeletedCells(OverwriteCells):
    """OverwriteCells whose restoring of deleted grade cells never crashes."""

    def add_missing_grade_cells(self, nb, resources):
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        source_cells = source_nb.source_cells
        source_ids = [cell.name for cell in source_cells]
        solution_ids = {cell.name for cell in source_nb.solution_cells}

        def positions() -> dict[str, int]:
            return {cell.metadata.get("nbgrader", {}).get("grade_id"): i
                    for i, cell in enumerate(nb.cells) if cell.metadata.get("nbgrader", {}).get("grade_id")}

        for grade_cell in source_nb.grade_cells:
            present = positions()
            if grade_cell.name in present:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook", grade_cell.name)
            index = source_ids.index(grade_cell.name)
            cell = self.missing_cell_transform(source_cells[index], grade_cell.max_score,
                                               is_solution=grade_cell.name in solution_ids)
            earlier = [present[i] for i in reversed(source_ids[:index]) if i in present]
            nb.cells.insert(earlier[0] + 1 if earlier else 0, cell)
        return nb, resources
