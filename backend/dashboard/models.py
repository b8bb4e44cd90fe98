from __future__ import annotations

from django.db import models


class MapCell(models.Model):
    """Located cases counted per grid cell (the cluster grid at GRID_ZOOM), status, severity and UPT.

    A copy of the cases table boiled down for the province-wide cluster view, rebuilt every minute by
    `map_grid_refresh`; the selectors use it only while it is fresh and only for the filters it can
    answer exactly, and otherwise aggregate the cases table itself.
    """

    cell_y = models.IntegerField()
    cell_x = models.IntegerField()
    status = models.CharField(max_length=15)
    severity = models.CharField(max_length=10)
    upt_id = models.BigIntegerField(null=True)
    count = models.PositiveIntegerField()
    lat_sum = models.FloatField()
    lng_sum = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["cell_y", "cell_x"], name="mapcell_cell")]

    def __str__(self) -> str:
        return f"cell {self.cell_y},{self.cell_x} {self.status}/{self.severity}: {self.count}"


class MapGridState(models.Model):
    """One row: when the grid was last rebuilt (the selectors ignore a grid older than a few minutes)."""

    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"map grid refreshed at {self.refreshed_at:%Y-%m-%d %H:%M:%S}"
