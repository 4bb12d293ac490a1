"""Competency development (pengembangan kompetensi): trainings, courses, seminars and
mentoring, counted in JP against a yearly target (PP 11/2017 as amended by PP 17/2020)."""
