"""Two demo organisations in different time zones, each a three-level unit tree.

Everything here is fictitious; NIPs are structurally valid but belong to nobody.
"""

from datetime import date

from app.org.models import PositionKind as K
from app.org.models import Role as R

DEMO_PASSWORD = "Kinerja#2026"

#: (slug, name, timezone, NIP birth-year offset) per organisation.
ORGANISATIONS = (
    ("pemkot-surakarta", "Pemerintah Kota Surakarta", "Asia/Jakarta", 0),
    ("pemkot-mataram", "Pemerintah Kota Mataram", "Asia/Makassar", 1),
)

#: (code, parent code, name) — level 1 is the agency, 2 bidang/sekretariat, 3 seksi/subbagian.
UNITS = (
    ("DKI", None, "Dinas Komunikasi dan Informatika"),
    ("DKI.SEK", "DKI", "Sekretariat"),
    ("DKI.APT", "DKI", "Bidang Aplikasi Informatika"),
    ("DKI.IKP", "DKI", "Bidang Informasi dan Komunikasi Publik"),
    ("DKI.SEK.UMP", "DKI.SEK", "Subbagian Umum dan Kepegawaian"),
    ("DKI.APT.PAP", "DKI.APT", "Seksi Pengembangan Aplikasi"),
    ("DKI.APT.TKE", "DKI.APT", "Seksi Tata Kelola e-Government"),
    ("DKI.IKP.PIP", "DKI.IKP", "Seksi Pengelolaan Informasi Publik"),
)

#: (key, supervisor key, unit code, jabatan, kind, golongan, roles, sex, first names by org).
PEOPLE = (
    ("kadis", None, "DKI", "Kepala Dinas Komunikasi dan Informatika", K.JPT, "IV/c",
     (R.PIMPINAN, R.ATASAN, R.PEGAWAI), "L", ("Bambang Sutrisno", "Lalu Muhammad Fauzi")),
    ("sekretaris", "kadis", "DKI.SEK", "Sekretaris", K.ADMINISTRATOR, "IV/b",
     (R.ATASAN, R.PEGAWAI), "P", ("Sri Wahyuningsih", "Baiq Nurul Aini")),
    ("kabid_apt", "kadis", "DKI.APT", "Kepala Bidang Aplikasi Informatika", K.ADMINISTRATOR,
     "IV/a", (R.ATASAN, R.PEGAWAI), "L", ("Agus Prasetyo", "I Made Suartana")),
    ("kabid_ikp", "kadis", "DKI.IKP", "Kepala Bidang Informasi dan Komunikasi Publik",
     K.ADMINISTRATOR, "IV/a", (R.ATASAN, R.PEGAWAI), "P", ("Endang Lestari", "Ni Komang Ayu")),
    ("kasubbag", "sekretaris", "DKI.SEK.UMP", "Kepala Subbagian Umum dan Kepegawaian",
     K.PENGAWAS, "III/d", (R.ATASAN, R.PEGAWAI), "L", ("Joko Santoso", "Lalu Ahmad Zaini")),
    ("kasi_pap", "kabid_apt", "DKI.APT.PAP", "Kepala Seksi Pengembangan Aplikasi", K.PENGAWAS,
     "III/d", (R.ATASAN, R.PEGAWAI), "P", ("Dewi Kusumawati", "Baiq Rina Hartini")),
    ("kasi_tke", "kabid_apt", "DKI.APT.TKE", "Kepala Seksi Tata Kelola e-Government",
     K.PENGAWAS, "III/c", (R.ATASAN, R.PEGAWAI), "L", ("Hendro Wibowo", "Muhammad Zulkifli")),
    ("kasi_pip", "kabid_ikp", "DKI.IKP.PIP", "Kepala Seksi Pengelolaan Informasi Publik",
     K.PENGAWAS, "III/c", (R.ATASAN, R.PEGAWAI), "P", ("Rina Marlina", "Sitti Rahmah")),
    ("admin", "kasubbag", "DKI.SEK.UMP", "Analis Sumber Daya Manusia Aparatur Ahli Pertama",
     K.FUNGSIONAL, "III/b", (R.ADMIN, R.PEGAWAI), "P", ("Ayu Pratiwi", "Nurhasanah")),
    ("ump_1", "kasubbag", "DKI.SEK.UMP", "Pengadministrasi Perkantoran", K.PELAKSANA, "II/c",
     (R.PEGAWAI,), "L", ("Slamet Riyadi", "Lalu Hendra")),
    ("ump_2", "kasubbag", "DKI.SEK.UMP", "Pengelola Layanan Operasional", K.PELAKSANA, "II/b",
     (R.PEGAWAI,), "P", ("Tri Handayani", "Baiq Fitriani")),
    ("pap_1", "kasi_pap", "DKI.APT.PAP", "Pranata Komputer Ahli Pertama", K.FUNGSIONAL, "III/a",
     (R.PEGAWAI,), "L", ("Rizky Ramadhan", "Gede Arya Wirawan")),
    ("pap_2", "kasi_pap", "DKI.APT.PAP", "Pranata Komputer Ahli Muda", K.FUNGSIONAL, "III/c",
     (R.PEGAWAI,), "P", ("Putri Anggraini", "Ni Luh Sukmawati")),
    ("pap_3", "kasi_pap", "DKI.APT.PAP", "Penata Kelola Sistem dan Teknologi Informasi",
     K.PELAKSANA, "IX", (R.PEGAWAI,), "L", ("Dimas Saputra", "Ahmad Fadli")),
    ("tke_1", "kasi_tke", "DKI.APT.TKE", "Pranata Komputer Ahli Pertama", K.FUNGSIONAL, "III/b",
     (R.PEGAWAI,), "P", ("Wulan Sari", "Hj. Nurul Hidayah")),
    ("tke_2", "kasi_tke", "DKI.APT.TKE", "Analis Tata Kelola Sistem Informasi", K.PELAKSANA,
     "III/a", (R.PEGAWAI,), "L", ("Yusuf Hidayat", "Lalu Irwan")),
    ("tke_3", "kasi_tke", "DKI.APT.TKE", "Pengolah Data dan Informasi", K.PELAKSANA, "II/d",
     (R.PEGAWAI,), "P", ("Fitri Rahayu", "Baiq Sri Wahyuni")),
    ("pip_1", "kasi_pip", "DKI.IKP.PIP", "Pranata Hubungan Masyarakat Ahli Pertama",
     K.FUNGSIONAL, "III/a", (R.PEGAWAI,), "L", ("Arif Nugroho", "Made Wiranata")),
    ("pip_2", "kasi_pip", "DKI.IKP.PIP", "Pengelola Informasi Publik", K.PELAKSANA, "II/c",
     (R.PEGAWAI,), "P", ("Ratna Dewi", "Siti Aisyah")),
    ("pip_3", "kasi_pip", "DKI.IKP.PIP", "Pranata Hubungan Masyarakat Terampil", K.FUNGSIONAL,
     "II/d", (R.PEGAWAI,), "L", ("Bayu Aji", "Lalu Rizal")),
)


def demo_nip(org_index: int, person_index: int, sex: str) -> tuple[date, int, int, str, int]:
    """Deterministic, structurally valid NIP parts for demo person ``person_index``."""
    birth = date(1970 + (person_index * 3 + org_index) % 28, 1 + person_index % 12,
                 1 + (person_index * 7 + org_index) % 28)
    appointment_year = birth.year + 22 + person_index % 5
    return birth, appointment_year, 1 + (person_index + org_index) % 12, sex, \
        100 * (org_index + 1) + person_index + 1
