package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNoSignRequestFromFileEnvAndFlag(t *testing.T) {
	dir := t.TempDir()
	on := filepath.Join(dir, "on.cfg")
	os.WriteFile(on, []byte("[S3]\nSONG_DATA=s3://udacity-dend/song_data\nNO_SIGN_REQUEST = true\n"), 0o600)
	off := filepath.Join(dir, "off.cfg")
	os.WriteFile(off, []byte("[S3]\nNO_SIGN_REQUEST=false\n"), 0o600)
	cases := []struct {
		file, env string
		flag      bool
		want      bool
	}{
		{off, "", false, false},
		{on, "", false, true},
		{off, "1", false, true},
		{on, "0", false, false},
		{off, "false", true, true},
		{off, "", true, true},
	}
	for _, c := range cases {
		got, err := Load(Flags{ConfigFile: c.file, NoSignRequest: c.flag}, env(map[string]string{"SPARKIFY_S3_NO_SIGN_REQUEST": c.env}))
		if err != nil {
			t.Fatal(err)
		}
		if got.NoSignRequest != c.want {
			t.Errorf("%s, env %q, flag %v: NoSignRequest %v, want %v", filepath.Base(c.file), c.env, c.flag, got.NoSignRequest, c.want)
		}
	}
	bad := filepath.Join(dir, "bad.cfg")
	os.WriteFile(bad, []byte("[S3]\nNO_SIGN_REQUEST=perhaps\n"), 0o600)
	if _, err := Load(Flags{ConfigFile: bad}, env(nil)); err == nil || !strings.Contains(err.Error(), "NO_SIGN_REQUEST") {
		t.Errorf("bad value: err = %v", err)
	}
}
