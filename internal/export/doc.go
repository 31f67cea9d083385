// Package export writes the star schema out of a warehouse as a data lake:
// Parquet (or CSV) files in Hive-style partition folders with a
// manifest.json, in a local folder or under an S3 prefix, as the Spark
// version of the original project does.
//
// The tables and their partitioning are SQL text (sql/export.sql). DuckDB
// writes the files itself (COPY ... PARTITION_BY); other engines stream
// rows through database/sql into Go writers that produce the same layout.
// All tables are read in one read-only snapshot.
//
// An export is atomic: it is written to a staging folder first and then
// made current in one step, so a reader never sees half an export and a
// failed or interrupted export leaves the previous one as it was. Locally
// the staged folder replaces the old one by rename; on S3, which has no
// rename, the files go under a new version prefix (_v/<id>/) and the
// top-level manifest.json, written last, points readers at it. See
// docs/export.md.
package export
