package awsfake

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/redshift"
	rstypes "github.com/aws/aws-sdk-go-v2/service/redshift/types"
)

func TestUnsignedRequestsAreRefused(t *testing.T) {
	s := Start()
	defer s.Close()
	resp, err := http.PostForm(s.URL, url.Values{"Action": {"GetRole"}, "RoleName": {"x"}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "<Code>MissingAuthenticationToken</Code>") {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
	if len(s.Calls()) != 0 {
		t.Error("an unsigned request was recorded as a call")
	}
	resp, err = http.Get(s.URL + "/checkip")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	if string(body) != "203.0.113.7\n" {
		t.Errorf("checkip %q", body)
	}
}

func TestSDKSeesTypedErrorsAndFaults(t *testing.T) {
	s := Start()
	defer s.Close()
	ctx := context.Background()
	rs := redshift.NewFromConfig(s.AWSConfig())
	_, err := rs.DescribeClusters(ctx, &redshift.DescribeClustersInput{ClusterIdentifier: aws.String("nope")})
	var nf *rstypes.ClusterNotFoundFault
	if !errors.As(err, &nf) {
		t.Errorf("err = %v, want ClusterNotFoundFault", err)
	}
	ic := iam.NewFromConfig(s.AWSConfig())
	s.FailWith("GetRole", Fault{Code: "Throttling", Times: 2})
	for i := 0; i < 2; i++ {
		if _, err := ic.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("r")}); err == nil || !strings.Contains(err.Error(), "Throttling") {
			t.Errorf("call %d: %v", i, err)
		}
	}
	if _, err := ic.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("r")}); err == nil || !strings.Contains(err.Error(), "NoSuchEntity") {
		t.Errorf("after the faults: %v", err)
	}
	calls := s.Calls()
	if calls[0].Service != "redshift" || calls[0].Region != Region || calls[1].Service != "iam" || calls[0].AccessKey != AccessKeyID {
		t.Errorf("calls %+v", calls)
	}
}
