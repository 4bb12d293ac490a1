"""What the demo people plan and do: SKP rows, daily activities, comments, survey answers.

Written in Bahasa Indonesia, as an ASN would write them. Each RHK is (description, perspective
for a JPT or None, indicators); each indicator is (aspect, description, target, unit).
"""

#: The head of agency's RHKs (a JPT: perspectives instead of a supervisor's RHK).
JPT_RHKS = (
    ("Meningkatnya kualitas layanan publik berbasis elektronik di lingkungan Pemerintah Kota",
     "penerima_layanan",
     (("kuantitas", "Indeks SPBE Pemerintah Kota", 3.5, "indeks"),
      ("kualitas", "Indeks kepuasan pengguna layanan digital", 85, "indeks"))),
    ("Meningkatnya keterbukaan informasi publik Pemerintah Kota", "proses_bisnis",
     (("kuantitas", "Persentase informasi publik yang dipublikasikan tepat waktu", 95, "%"),)),
)

#: RHKs by the first word of the unit code they serve; a person's RHK supports the RHK of
#: their supervisor at the same position (or the first one).
UNIT_RHKS = {
    "DKI.SEK": (
        ("Terselenggaranya layanan administrasi umum dan kepegawaian yang tertib", None,
         (("kuantitas", "Jumlah dokumen administrasi kepegawaian yang diselesaikan", 48,
           "dokumen"),
          ("waktu", "Penyelesaian layanan kepegawaian", 12, "bulan"))),
        ("Tersusunnya laporan kinerja perangkat daerah", None,
         (("kuantitas", "Jumlah laporan kinerja yang disusun", 4, "laporan"),)),
    ),
    "DKI.APT": (
        ("Tersedianya aplikasi layanan publik yang andal dan terintegrasi", None,
         (("kuantitas", "Jumlah modul aplikasi yang dikembangkan atau diperbarui", 24,
           "modul"),
          ("kualitas", "Persentase gangguan layanan yang ditangani dalam 1x24 jam", 95,
           "%"))),
        ("Terkelolanya tata kelola SPBE sesuai arsitektur", None,
         (("kuantitas", "Jumlah dokumen tata kelola SPBE yang disusun", 6, "dokumen"),)),
    ),
    "DKI.IKP": (
        ("Tersebarnya informasi publik yang akurat dan tepat waktu", None,
         (("kuantitas", "Jumlah konten informasi publik yang diterbitkan", 120, "konten"),
          ("waktu", "Publikasi kegiatan pimpinan paling lambat H+1", 12, "bulan"))),
        ("Terlayaninya permohonan informasi publik", None,
         (("kuantitas", "Jumlah permohonan informasi yang dijawab", 60, "permohonan"),)),
    ),
}

#: Daily work by unit branch: (description, RHK position the activity serves).
ACTIVITIES = {
    "DKI.SEK": (
        ("Memverifikasi usulan kenaikan pangkat periode April", 0),
        ("Menginput data cuti pegawai ke aplikasi kepegawaian", 0),
        ("Menyusun draf surat keputusan penempatan pegawai", 0),
        ("Mengarsipkan surat masuk dan surat keluar", 0),
        ("Memperbarui data riwayat jabatan di SIASN", 0),
        ("Menyusun bahan laporan kinerja triwulan", 1),
        ("Rapat koordinasi penyusunan LKjIP", 1),
        ("Mendampingi pemeriksaan administrasi oleh Inspektorat", 0),
    ),
    "DKI.APT": (
        ("Memperbaiki galat formulir pengaduan di aplikasi layanan warga", 0),
        ("Menguji modul antrean daring puskesmas", 0),
        ("Menangani gangguan server aplikasi perizinan", 0),
        ("Memperbarui sertifikat SSL subdomain layanan", 0),
        ("Menyusun dokumen arsitektur SPBE domain layanan", 1),
        ("Rapat evaluasi SPBE bersama perangkat daerah", 1),
        ("Mengembangkan fitur ekspor laporan pada aplikasi kepegawaian", 0),
        ("Melakukan backup basis data aplikasi layanan", 0),
    ),
    "DKI.IKP": (
        ("Meliput kegiatan Wali Kota di kecamatan", 0),
        ("Menulis rilis berita kegiatan pelayanan terpadu", 0),
        ("Mengunggah infografis layanan ke media sosial resmi", 0),
        ("Menjawab permohonan informasi melalui PPID", 1),
        ("Memutakhirkan daftar informasi publik", 1),
        ("Memantau isu publik di media daring", 0),
        ("Menyiapkan bahan konferensi pers", 0),
        ("Mendokumentasikan rapat koordinasi pimpinan", 0),
    ),
}

#: What the head of agency does on a working day.
JPT_ACTIVITIES = (
    ("Memimpin rapat koordinasi SPBE", 0),
    ("Menandatangani dokumen perjanjian kerja sama layanan data", 0),
    ("Menerima kunjungan kerja dari Diskominfo kabupaten tetangga", 1),
    ("Memimpin apel pagi dan arahan pimpinan", 0),
)

#: Return reasons a supervisor writes.
RETURN_REASONS = (
    "Mohon lampirkan bukti dukung (foto atau dokumen).",
    "Uraian terlalu umum; sebutkan dokumen atau layanan yang diselesaikan.",
    "Jam kegiatan bertumpuk dengan kegiatan lain, mohon diperbaiki.",
)

#: (supervisor's comment, the reply) on activities.
COMMENTS = (
    ("Bagus, tolong kirim juga salinannya ke Sekretariat.", "Baik, Bu/Pak, sudah saya kirim."),
    ("Apakah sudah dikoordinasikan dengan bidang terkait?", "Sudah, tadi pagi lewat telepon."),
    ("Terima kasih, cepat sekali penanganannya.", "Sama-sama, siap."),
)

REALISATION = ("Target triwulan tercapai sesuai rencana; seluruh keluaran sudah diunggah sebagai "
               "bukti dukung.")
REFLECTION = "Koordinasi lintas bidang perlu dijadwalkan lebih awal."
RHK_FEEDBACK = "Hasil kerja sesuai ekspektasi, dokumentasi rapi."

SURVEY_SERVICES = ("Permohonan informasi publik", "Pengaduan layanan aplikasi",
                   "Konsultasi SPBE", "Layanan administrasi")
SURVEY_COMMENTS = ("Pelayanan cepat dan ramah.", "Mohon ruang tunggu diperluas.", "",
                   "Informasi persyaratan sudah jelas.", "")

#: The follow-up of a Butuh Perbaikan (PermenPANRB 6/2022): a dialog kinerja and an objection.
DIALOG_TOPIC = "Capaian triwulan dan rencana perbaikan"
DIALOG_ACTION = "Menyusun jadwal penyelesaian laporan bulanan"
OBJECTION = "Sebagian laporan sudah selesai tetapi bukti dukungnya belum dipertimbangkan."
