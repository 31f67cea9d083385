package cluster

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/awsfake"
)

func TestOpenPortRefusesAnywhere(t *testing.T) {
	r := newRig(t)
	r.fake.PutCluster(awsfake.Cluster{Identifier: "sparkify-test"})
	for _, cidr := range []string{"0.0.0.0/0", "::/0", "10.1.2.3/0"} {
		if _, err := r.m.OpenPort(ctx(t), OpenPortOptions{CIDR: cidr}); !errors.Is(err, ErrAnywhere) {
			t.Errorf("%s: err = %v, want ErrAnywhere", cidr, err)
		}
	}
	if n := len(r.fake.Calls()); n != 0 {
		t.Errorf("%d calls made for a refused range", n)
	}
	res, err := r.m.OpenPort(ctx(t), OpenPortOptions{CIDR: "0.0.0.0/0", AllowAnywhere: true})
	if err != nil || res.Rules[0].CIDR != "0.0.0.0/0" {
		t.Errorf("with --allow-anywhere: %+v, %v", res, err)
	}
	if _, err := r.m.OpenPort(ctx(t), OpenPortOptions{CIDR: "not-an-ip"}); !errors.Is(err, ErrBadCIDR) {
		t.Errorf("bad cidr: %v", err)
	}
}

func TestOpenPortDuplicateAndIPv6(t *testing.T) {
	r := newRig(t)
	r.fake.PutCluster(awsfake.Cluster{Identifier: "sparkify-test", Port: 5440})
	r.fake.AddIngress(awsfake.DefaultGroup, awsfake.Rule{Protocol: "tcp", FromPort: 5440, ToPort: 5440, CIDR: "203.0.113.7/32", Description: "sparkify"})
	res, err := r.m.OpenPort(ctx(t), OpenPortOptions{})
	if err != nil || res.Changed || res.Port != 5440 {
		t.Fatalf("duplicate rule: %+v, %v", res, err)
	}
	if r.fake.Count("AuthorizeSecurityGroupIngress") != 1 {
		t.Error("the duplicate was not sent to AWS")
	}
	res, err = r.m.OpenPort(ctx(t), OpenPortOptions{CIDR: "2001:db8::1"})
	if err != nil || !res.Changed || res.Rules[0].CIDR != "2001:db8::1/128" {
		t.Fatalf("ipv6: %+v, %v", res, err)
	}
	g, _ := r.fake.Group(awsfake.DefaultGroup)
	if len(g.Ingress) != 2 || g.Ingress[1].CIDR != "2001:db8::1/128" || g.Ingress[1].Description != RuleDescription {
		t.Errorf("rules %+v", g.Ingress)
	}
}

func TestClosePortRemovesOnlySparkifyRules(t *testing.T) {
	r := newRig(t)
	r.fake.PutCluster(awsfake.Cluster{Identifier: "sparkify-test"})
	office := awsfake.Rule{Protocol: "tcp", FromPort: 5439, ToPort: 5439, CIDR: "192.0.2.0/24", Description: "office"}
	other := awsfake.Rule{Protocol: "tcp", FromPort: 22, ToPort: 22, CIDR: "203.0.113.7/32", Description: "sparkify"}
	r.fake.AddIngress(awsfake.DefaultGroup, office)
	r.fake.AddIngress(awsfake.DefaultGroup, other)
	if _, err := r.m.OpenPort(ctx(t), OpenPortOptions{}); err != nil {
		t.Fatal(err)
	}
	st, _ := r.m.Status(ctx(t))
	if len(st.Ingress) != 2 {
		t.Errorf("status lists %+v, want the office rule and sparkify's (not port 22)", st.Ingress)
	}
	for i, want := range []bool{true, false} {
		res, err := r.m.ClosePort(ctx(t))
		if err != nil || res.Changed != want {
			t.Fatalf("close-port %d: %+v, %v", i+1, res, err)
		}
	}
	g, _ := r.fake.Group(awsfake.DefaultGroup)
	if len(g.Ingress) != 2 || g.Ingress[0] != office || g.Ingress[1] != other {
		t.Errorf("rules left %+v, want the office and port-22 rules", g.Ingress)
	}
}

func TestPublicIP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/bad" {
			w.Write([]byte("<html>oops</html>"))
			return
		}
		w.Write([]byte(" 198.51.100.23\n"))
	}))
	defer srv.Close()
	a, err := PublicIP(ctx(t), srv.Client(), srv.URL)
	if err != nil || a.String() != "198.51.100.23" {
		t.Errorf("got %v, %v", a, err)
	}
	if _, err := PublicIP(ctx(t), srv.Client(), srv.URL+"/bad"); err == nil || !strings.Contains(err.Error(), "--cidr") {
		t.Errorf("bad answer: %v", err)
	}
}
