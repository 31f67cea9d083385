package export

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Producer marks a manifest written by this package: an export replaces
// only a destination whose manifest says so.
const Producer = "sparkify export"

// ManifestFile is the manifest's name, at the top of an export.
const ManifestFile = "manifest.json"

// Manifest describes one export: what a reader needs to find and type its
// files.
type Manifest struct {
	Producer string `json:"producer"`
	// ID names this export: <UTC time>-<load id>, sortable by time.
	ID string `json:"export_id"`
	// Root is where the tables are, relative to the manifest's folder: ""
	// for a local export, "_v/<id>/" in the S3 pointer manifest.
	Root   string `json:"root"`
	Format Format `json:"format"`
	// WrittenAt is when the export finished writing its files.
	WrittenAt time.Time `json:"written_at"`
	// LoadID is the latest successful load the warehouse holds (NULL when
	// none has succeeded).
	LoadID *int64 `json:"load_id"`
	// Engine is the warehouse engine the export read.
	Engine string `json:"engine"`
	// NullPartition is the folder value that stands for NULL.
	NullPartition string          `json:"null_partition"`
	Tables        []TableManifest `json:"tables"`
}

// TableManifest describes one exported table.
type TableManifest struct {
	Name string `json:"name"`
	// Path is the table's folder, relative to Root.
	Path string `json:"path"`
	Rows int64  `json:"rows"`
	// Files and Bytes count the data files.
	Files int   `json:"files"`
	Bytes int64 `json:"bytes"`
	// PartitionBy are the columns held in folder names, in folder order.
	PartitionBy []string `json:"partition_by"`
	// Columns are every column with its type: the files' columns in file
	// order, then the partition columns.
	Columns []Column `json:"columns"`
	// RenamedPartitions map the partition folders that got a safe name
	// instead of their value (too long, control characters...) to the
	// full value; none for most exports.
	RenamedPartitions []RenamedPartition `json:"renamed_partitions,omitempty"`
}

// Table returns the manifest of one table, or nil.
func (m *Manifest) Table(name string) *TableManifest {
	for i := range m.Tables {
		if m.Tables[i].Name == name {
			return &m.Tables[i]
		}
	}
	return nil
}

// encode renders the manifest as indented JSON.
func (m *Manifest) encode() []byte {
	b, _ := json.MarshalIndent(m, "", "  ")
	return append(b, '\n')
}

// ParseManifest decodes a manifest and checks that sparkify wrote it.
func ParseManifest(data []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%w: manifest.json is not valid JSON: %v", ErrNotAnExport, err)
	}
	if m.Producer != Producer {
		return nil, fmt.Errorf("%w: manifest.json was not written by %s (producer %q)", ErrNotAnExport, Producer, m.Producer)
	}
	return &m, nil
}

// ReadManifest reads the manifest of a local export folder.
func ReadManifest(dir string) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, err
	}
	return ParseManifest(data)
}

// exportID is the manifest ID and S3 version folder name: the time first,
// so names sort by when they were written.
func exportID(now time.Time, loadID *int64) string {
	id := now.UTC().Format("20060102T150405.000Z")
	if loadID != nil {
		return fmt.Sprintf("%s-%d", id, *loadID)
	}
	return id + "-0"
}
