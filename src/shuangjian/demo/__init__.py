"""The demo province: Hunan's real 14 cities and 122 counties with generated records calibrated to
the provincial document in shared/seed/ (湘教复字〔2023〕283号, dated 2023-06-05).

Every record goes through the platform's own import commands and services: the generators write
real files (CSV / .xlsx per DESIGN.md's file contracts) into a temporary folder and the loader
imports them. Names are generated from word lists, never real people's.
"""
