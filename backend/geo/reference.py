"""The 38 kabupaten/kota of East Java (Kemendagri codes): public reference facts.

Label points are inside each region (polylabel of its largest part): the fallback for point → region
when no boundaries are imported, and the place for a map label."""

from typing import NamedTuple


class RegionFact(NamedTuple):
    code: str
    name: str
    type: str
    label_lat: float
    label_lng: float


REGIONS: tuple[RegionFact, ...] = (
    RegionFact("35.01", "Kabupaten Pacitan", "kabupaten", -8.12744, 111.222417),
    RegionFact("35.02", "Kabupaten Ponorogo", "kabupaten", -7.933485, 111.478853),
    RegionFact("35.03", "Kabupaten Trenggalek", "kabupaten", -8.198291, 111.600107),
    RegionFact("35.04", "Kabupaten Tulungagung", "kabupaten", -8.179096, 111.9227),
    RegionFact("35.05", "Kabupaten Blitar", "kabupaten", -8.064928, 112.317375),
    RegionFact("35.06", "Kabupaten Kediri", "kabupaten", -7.844646, 112.195041),
    RegionFact("35.07", "Kabupaten Malang", "kabupaten", -8.238282, 112.655348),
    RegionFact("35.08", "Kabupaten Lumajang", "kabupaten", -8.12765, 113.195776),
    RegionFact("35.09", "Kabupaten Jember", "kabupaten", -8.211016, 113.595136),
    RegionFact("35.10", "Kabupaten Banyuwangi", "kabupaten", -8.339665, 114.145123),
    RegionFact("35.11", "Kabupaten Bondowoso", "kabupaten", -7.911826, 113.971979),
    RegionFact("35.12", "Kabupaten Situbondo", "kabupaten", -7.825912, 114.20236),
    RegionFact("35.13", "Kabupaten Probolinggo", "kabupaten", -7.862685, 113.470861),
    RegionFact("35.14", "Kabupaten Pasuruan", "kabupaten", -7.697776, 112.755666),
    RegionFact("35.15", "Kabupaten Sidoarjo", "kabupaten", -7.445825, 112.707294),
    RegionFact("35.16", "Kabupaten Mojokerto", "kabupaten", -7.590356, 112.509658),
    RegionFact("35.17", "Kabupaten Jombang", "kabupaten", -7.553859, 112.256578),
    RegionFact("35.18", "Kabupaten Nganjuk", "kabupaten", -7.557021, 111.985792),
    RegionFact("35.19", "Kabupaten Madiun", "kabupaten", -7.596493, 111.672675),
    RegionFact("35.20", "Kabupaten Magetan", "kabupaten", -7.676893, 111.364503),
    RegionFact("35.21", "Kabupaten Ngawi", "kabupaten", -7.452357, 111.278364),
    RegionFact("35.22", "Kabupaten Bojonegoro", "kabupaten", -7.257332, 111.748568),
    RegionFact("35.23", "Kabupaten Tuban", "kabupaten", -6.952887, 111.900335),
    RegionFact("35.24", "Kabupaten Lamongan", "kabupaten", -7.222554, 112.269334),
    RegionFact("35.25", "Kabupaten Gresik", "kabupaten", -7.306792, 112.553136),
    RegionFact("35.26", "Kabupaten Bangkalan", "kabupaten", -7.038965, 112.959775),
    RegionFact("35.27", "Kabupaten Sampang", "kabupaten", -7.01963, 113.268628),
    RegionFact("35.28", "Kabupaten Pamekasan", "kabupaten", -7.098537, 113.493619),
    RegionFact("35.29", "Kabupaten Sumenep", "kabupaten", -7.003801, 113.784606),
    RegionFact("35.71", "Kota Kediri", "kota", -7.816049, 112.003921),
    RegionFact("35.72", "Kota Blitar", "kota", -8.102435, 112.16411),
    RegionFact("35.73", "Kota Malang", "kota", -7.951231, 112.629985),
    RegionFact("35.74", "Kota Probolinggo", "kota", -7.770077, 113.205384),
    RegionFact("35.75", "Kota Pasuruan", "kota", -7.651958, 112.909398),
    RegionFact("35.76", "Kota Mojokerto", "kota", -7.467831, 112.447911),
    RegionFact("35.77", "Kota Madiun", "kota", -7.622789, 111.527618),
    RegionFact("35.78", "Kota Surabaya", "kota", -7.280457, 112.697869),
    RegionFact("35.79", "Kota Batu", "kota", -7.784725, 112.538073),
)
