package cluster

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/awsfake"
)

func serverlessRig(t *testing.T) *rig {
	r := newRig(t)
	r.m.Spec.Serverless = true
	r.m.Spec.Workgroup, r.m.Spec.Namespace, r.m.Spec.BaseCapacity = "sparkify-wg", "sparkify-ns", 8
	return r
}

// The whole Serverless cycle through the real SDK and the awsJson1_1 wire
// format (X-Amz-Target: RedshiftServerless.<Op>, JSON bodies, errors as
// {"__type", "message"}). The calls and fields are those of the Amazon
// Redshift Serverless API Reference:
// CreateNamespace (namespaceName, adminUsername, adminUserPassword,
// dbName, iamRoles, defaultIamRoleArn, tags),
// https://docs.aws.amazon.com/redshift-serverless/latest/APIReference/API_CreateNamespace.html;
// CreateWorkgroup (workgroupName, namespaceName, baseCapacity in RPUs,
// publiclyAccessible, port, securityGroupIds, tags),
// https://docs.aws.amazon.com/redshift-serverless/latest/APIReference/API_CreateWorkgroup.html;
// GetWorkgroup (workgroup.status CREATING|AVAILABLE|MODIFYING|DELETING,
// workgroup.endpoint.address/port), DeleteWorkgroup, DeleteNamespace,
// ListTagsForResource; the namespace goes only once its workgroup is gone
// ("If you want to delete a namespace with an associated workgroup, you
// have to first delete the workgroup": Deleting a namespace, Amazon
// Redshift Management Guide,
// https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-console-namespace-delete.html),
// which the fake enforces with ConflictException.
func TestServerlessLifecycle(t *testing.T) {
	r := serverlessRig(t)
	r.fake.SetTransitionPolls(2)
	c := ctx(t)
	up, err := r.m.Up(c, UpOptions{Wait: true, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	host := "sparkify-wg.123456789012.us-west-2.redshift-serverless.amazonaws.com"
	if !up.RoleCreated || !up.NamespaceCreated || !up.ClusterCreated || !up.Available() || up.Cluster.Host != host || up.Cluster.Port != 5439 {
		t.Fatalf("up: %+v %+v", up, up.Cluster)
	}
	if want := []string{"creating", "creating", "available"}; !slices.Equal(r.states, want) {
		t.Errorf("states %v, want %v", r.states, want)
	}
	ns, _ := r.fake.Namespace("sparkify-ns")
	wg, _ := r.fake.Workgroup("sparkify-wg")
	if ns.AdminUsername != "awsuser" || !ns.PasswordSet || ns.DBName != "dev" || !slices.Equal(ns.IAMRoles, []string{up.RoleARN}) ||
		ns.DefaultIAMRole != up.RoleARN || ns.Tags[TagKey] != TagValue {
		t.Errorf("namespace %+v", ns)
	}
	if wg.Namespace != "sparkify-ns" || wg.BaseCapacity != 8 || !wg.Public || wg.Tags[TagKey] != TagValue {
		t.Errorf("workgroup %+v", wg)
	}
	for _, call := range r.fake.Calls() {
		if call.Action == "CreateWorkgroup" && (call.Service != "redshift-serverless" || call.Body["baseCapacity"] != float64(8)) {
			t.Errorf("CreateWorkgroup signed for %q with body %v", call.Service, call.Body)
		}
	}

	r.fake.ResetCalls()
	if again, err := r.m.Up(c, UpOptions{Wait: true, Timeout: time.Second}); err != nil || again.ClusterCreated || again.NamespaceCreated || !again.Available() {
		t.Fatalf("second up: %+v, %v", again, err)
	}
	r.noMutations(t, "second up")

	if _, err := r.m.OpenPort(c, OpenPortOptions{}); err != nil {
		t.Fatal(err)
	}
	st, err := r.m.Status(c)
	if err != nil || st.State != "available" || st.NodeType != "serverless" || st.BaseCapacity != 8 || st.Namespace != "sparkify-ns" ||
		!st.Sparkify || st.DBUser != "awsuser" || len(st.Ingress) != 1 || st.Ingress[0].CIDR != "203.0.113.7/32" || st.Ingress[0].GroupID != awsfake.DefaultGroup {
		t.Fatalf("status: %+v, %v", st, err)
	}
	if _, err := r.m.Pause(c, WaitOptions{}); !errors.Is(err, ErrBadSpec) || !strings.Contains(err.Error(), "Serverless") {
		t.Errorf("pause on serverless: %v", err)
	}

	down, err := r.m.Down(c, DownOptions{Timeout: 10 * time.Second})
	if err != nil || len(down.PortRules) != 1 || !down.ClusterDeleted || !down.NamespaceDeleted || !down.RoleDeleted {
		t.Fatalf("down: %+v, %v", down, err)
	}
	if _, ok := r.fake.Workgroup("sparkify-wg"); ok {
		t.Error("workgroup left")
	}
	if _, ok := r.fake.Namespace("sparkify-ns"); ok {
		t.Error("namespace left")
	}
	if _, ok := r.fake.Role("sparkify-role"); ok {
		t.Error("role left")
	}
	r.fake.ResetCalls()
	if again, err := r.m.Down(c, DownOptions{Timeout: time.Second}); err != nil || again.ClusterDeleted || again.NamespaceDeleted {
		t.Fatalf("second down: %+v, %v", again, err)
	}
	r.noMutations(t, "second down")
	noSecrets(t, "log", r.logText())
}

// Errors come back typed from the JSON protocol: a missing workgroup is
// "no workgroup, run up"; an access error says which permission.
func TestServerlessErrors(t *testing.T) {
	r := serverlessRig(t)
	if _, err := r.m.Status(ctx(t)); !errors.Is(err, ErrClusterNotFound) || !strings.Contains(err.Error(), "no Redshift Serverless workgroup sparkify-wg") {
		t.Errorf("status with no workgroup: %v", err)
	}
	r.fake.Fail("GetWorkgroup", "AccessDeniedException")
	if _, err := r.m.Up(ctx(t), UpOptions{}); !errors.Is(err, ErrAccessDenied) || !strings.Contains(err.Error(), "redshift-serverless:GetWorkgroup") {
		t.Errorf("denied: %v", err)
	}
	r.m.Spec.BaseCapacity = 0
	if _, err := r.m.Up(ctx(t), UpOptions{}); !errors.Is(err, ErrBadSpec) || !strings.Contains(err.Error(), "BASE_CAPACITY") {
		t.Errorf("no base capacity: %v", err)
	}
	r.m.Spec.BaseCapacity, r.m.Spec.Workgroup = 8, "Sparkify_WG"
	if _, err := r.m.Up(ctx(t), UpOptions{}); !errors.Is(err, ErrBadSpec) || !strings.Contains(err.Error(), "lower-case letters, digits or hyphens") {
		t.Errorf("bad workgroup name: %v", err)
	}
	r.noMutations(t, "refused ups")
}

// A workgroup sparkify did not create is kept, with its namespace and
// role, unless DeleteUntagged.
func TestServerlessDownKeepsUntaggedWorkgroup(t *testing.T) {
	r := serverlessRig(t)
	r.fake.PutNamespace(awsfake.Namespace{Name: "sparkify-ns"})
	r.fake.PutWorkgroup(awsfake.Workgroup{Name: "sparkify-wg", Namespace: "sparkify-ns"})
	res, err := r.m.Down(ctx(t), DownOptions{Timeout: time.Second})
	if err != nil || !res.ClusterKept || res.ClusterDeleted {
		t.Fatalf("down: %+v, %v", res, err)
	}
	r.noMutations(t, "down of an untagged workgroup")
	res, err = r.m.Down(ctx(t), DownOptions{Timeout: time.Second, DeleteUntagged: true})
	if err != nil || !res.ClusterDeleted || !res.NamespaceDeleted {
		t.Fatalf("down --delete-untagged: %+v, %v", res, err)
	}
}

// A dry run prints the Serverless calls, with the password masked, and
// makes none; SECURITY_GROUP_IDS reach CreateWorkgroup's securityGroupIds.
func TestServerlessDryRunAndSecurityGroups(t *testing.T) {
	r := serverlessRig(t)
	r.m.DryRun = true
	if _, err := r.m.Up(ctx(t), UpOptions{Wait: true, Timeout: time.Minute}); err != nil {
		t.Fatal(err)
	}
	r.noMutations(t, "dry-run up")
	plan := r.plan.String()
	for _, want := range []string{"would call: redshift-serverless CreateNamespace NamespaceName=sparkify-ns AdminUsername=awsuser AdminUserPassword=********",
		"would call: redshift-serverless CreateWorkgroup WorkgroupName=sparkify-wg NamespaceName=sparkify-ns BaseCapacity=8 Port=5439 PubliclyAccessible=true",
		"would wait until workgroup sparkify-wg is available"} {
		if !strings.Contains(plan, want) {
			t.Errorf("plan lacks %q:\n%s", want, plan)
		}
	}
	noSecrets(t, "plan", plan)

	r2 := serverlessRig(t)
	r2.m.Spec.SecurityGroupIDs = []string{"sg-0aaa", "sg-0bbb"}
	if _, err := r2.m.Up(ctx(t), UpOptions{}); err != nil {
		t.Fatal(err)
	}
	if wg, _ := r2.fake.Workgroup("sparkify-wg"); !slices.Equal(wg.SecurityGroups, []string{"sg-0aaa", "sg-0bbb"}) {
		t.Errorf("workgroup groups %v", wg.SecurityGroups)
	}
}

// A refusal of a Serverless setting (ValidationException, e.g. a base
// capacity AWS does not offer) points at dwh.cfg.
func TestServerlessValidationRefusal(t *testing.T) {
	r := serverlessRig(t)
	r.fake.FailWith("CreateWorkgroup", awsfake.Fault{Code: "ValidationException", Message: "Base capacity must be a multiple of 8"})
	_, err := r.m.Up(ctx(t), UpOptions{})
	if err == nil || !strings.Contains(err.Error(), "ValidationException: Base capacity must be a multiple of 8") || !strings.Contains(err.Error(), "check [CLUSTER]") {
		t.Errorf("err = %v", err)
	}
}
