// Package awsfake is a small stateful stand-in for the AWS control plane
// (IAM, Redshift, EC2 security groups, Redshift Serverless) that answers
// with the real wire formats: the AWS Query protocol for IAM and Redshift,
// the EC2 Query protocol for EC2, awsJson1_1 for Redshift Serverless. Tests point the real aws-sdk-go-v2 clients at it, so
// serialization, signing, typed errors and polling are all exercised.
//
// Start one with Start; point clients at it with Server.AWSConfig, or a
// child process with Server.Env (AWS_ENDPOINT_URL). Script it with
// SetTransitionPolls (how many DescribeClusters, GetWorkgroup or
// GetNamespace polls a state change takes)
// and Fail/FailWith (errors injected per operation); seed it with PutRole,
// PutCluster and AddIngress; inspect it with Calls, Count, Mutations,
// Role, Cluster and Group. GET /checkip answers with PublicIP, like
// https://checkip.amazonaws.com.
package awsfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Credentials and identifiers the fake uses.
const (
	AccessKeyID     = "AKIDSPARKIFYFAKE"
	SecretAccessKey = "fake-secret-must-never-print"
	Region          = "us-west-2"
	AccountID       = "123456789012"
	DefaultVPC      = "vpc-0fake0default"
	DefaultGroup    = "sg-0fake0default"
)

// Call is one request the fake received.
type Call struct {
	Service   string // iam, redshift or ec2: from the SigV4 scope
	Action    string
	Region    string
	AccessKey string
	Params    url.Values
	// Body is the JSON body of a Redshift Serverless (awsJson1_1) call.
	Body map[string]any
}

// Mutating reports whether the call changes state (anything but
// Describe*, Get* and List*).
func (c Call) Mutating() bool {
	for _, p := range []string{"Describe", "Get", "List"} {
		if strings.HasPrefix(c.Action, p) {
			return false
		}
	}
	return true
}

// Fault is an error to answer an operation with.
type Fault struct {
	Status  int // HTTP status; 0 picks the usual one for Code
	Code    string
	Message string
	Times   int // how many calls fail; 0 means 1, negative means all
}

// Server is the fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the endpoint to give the SDK.
	URL string
	// PublicIP is what GET /checkip answers.
	PublicIP string

	srv *httptest.Server

	mu       sync.Mutex
	roles    map[string]*Role
	clusters map[string]*Cluster
	groups   map[string]*SecurityGroup

	namespaces map[string]*Namespace
	workgroups map[string]*Workgroup
	calls      []Call
	faults     map[string][]*Fault
	polls      int
	stale      int
	seq        int
}

// Start starts a fake with the default VPC security group and no roles or
// clusters. Close it when done.
func Start() *Server {
	s := &Server{
		PublicIP: "203.0.113.7",
		roles:    map[string]*Role{},
		clusters: map[string]*Cluster{},
		groups: map[string]*SecurityGroup{
			DefaultGroup: {ID: DefaultGroup, Name: "default", VPCID: DefaultVPC},
		},
		faults:     map[string][]*Fault{},
		namespaces: map[string]*Namespace{},
		workgroups: map[string]*Workgroup{},
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// AWSConfig returns an aws.Config for SDK clients talking to the fake, with
// static fake credentials and no retries.
func (s *Server) AWSConfig() aws.Config {
	return aws.Config{
		Region:           Region,
		Credentials:      credentials.NewStaticCredentialsProvider(AccessKeyID, SecretAccessKey, ""),
		BaseEndpoint:     aws.String(s.URL),
		RetryMaxAttempts: 1,
		HTTPClient:       s.srv.Client(),
	}
}

// Env returns environment variables that point a child process's SDK at
// the fake and isolate it from the user's ~/.aws and instance metadata;
// dir is a folder for the (missing) shared config files.
func (s *Server) Env(dir string) []string {
	missing := filepath.Join(dir, "no-such-aws-file")
	return []string{
		"AWS_ENDPOINT_URL=" + s.URL,
		"AWS_ACCESS_KEY_ID=" + AccessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + SecretAccessKey,
		"AWS_REGION=" + Region,
		"AWS_CONFIG_FILE=" + missing,
		"AWS_SHARED_CREDENTIALS_FILE=" + missing,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_MAX_ATTEMPTS=1",
	}
}

// SetTransitionPolls sets how many DescribeClusters calls report a
// transitional state (creating, pausing, resuming, deleting) before the
// change completes; 0 (the default) completes on the first poll. Changes
// under way are cut short to at most n more polls.
func (s *Server) SetTransitionPolls(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.polls = n
	for _, c := range s.clusters {
		c.pollsLeft = min(c.pollsLeft, n)
	}
	for _, w := range s.workgroups {
		w.pollsLeft = min(w.pollsLeft, n)
	}
	for _, ns := range s.namespaces {
		ns.pollsLeft = min(ns.pollsLeft, n)
	}
}

// SetStalePolls sets how many DescribeClusters calls after a change
// still report the state before it (0, the default: none), as AWS's
// eventually consistent reads can just after PauseCluster, ResumeCluster
// or DeleteCluster.
func (s *Server) SetStalePolls(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stale = n
}

// Fail makes the next call of action fail with code.
func (s *Server) Fail(action, code string) {
	s.FailWith(action, Fault{Code: code, Message: "injected " + code})
}

// FailWith makes calls of action fail with f.
func (s *Server) FailWith(action string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times == 0 {
		f.Times = 1
	}
	s.faults[action] = append(s.faults[action], &f)
}

// Calls returns every call received so far.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Count returns how many calls of action were received.
func (s *Server) Count(action string) int {
	n := 0
	for _, c := range s.Calls() {
		if c.Action == action {
			n++
		}
	}
	return n
}

// Mutations returns the calls that change state.
func (s *Server) Mutations() []Call {
	var out []Call
	for _, c := range s.Calls() {
		if c.Mutating() {
			out = append(out, c)
		}
	}
	return out
}

// ResetCalls forgets the calls received so far.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
}

var scopeRE = regexp.MustCompile(`Credential=([^/]+)/\d{8}/([^/]+)/([^/]+)/aws4_request`)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && r.URL.Path == "/checkip" {
		fmt.Fprintln(w, s.PublicIP)
		return
	}
	m := scopeRE.FindStringSubmatch(r.Header.Get("Authorization"))
	if op := serverlessTarget(r); op != "" && m != nil {
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, `{"__type":"SerializationException","message":"bad JSON"}`, http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		s.calls = append(s.calls, Call{AccessKey: m[1], Region: m[2], Service: m[3], Action: op, Body: body})
		s.seq++
		s.serveServerless(w, s.calls[len(s.calls)-1], body, fmt.Sprintf("fake-%06d", s.seq))
		return
	}
	if err := r.ParseForm(); err != nil || m == nil || r.Method != http.MethodPost {
		writeQueryError(w, "", http.StatusForbidden, "MissingAuthenticationToken", "Request is missing a SigV4 Authorization header", "")
		return
	}
	call := Call{AccessKey: m[1], Region: m[2], Service: m[3], Action: r.PostForm.Get("Action"), Params: r.PostForm}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, call)
	s.seq++
	reqID := fmt.Sprintf("fake-%06d", s.seq)
	h, ok := handlers[call.Service]
	if !ok {
		writeQueryError(w, "", http.StatusBadRequest, "UnknownService", "the fake does not speak "+call.Service, reqID)
		return
	}
	if f := s.popFault(call.Action); f != nil {
		h.fail(w, &apiError{status: f.Status, code: f.Code, msg: f.Message}, reqID)
		return
	}
	res, err := h.handle(s, call)
	if err != nil {
		h.fail(w, err, reqID)
		return
	}
	h.reply(w, call.Action, res, reqID)
}

func (s *Server) popFault(action string) *Fault {
	q := s.faults[action]
	if len(q) == 0 {
		return nil
	}
	f := q[0]
	if f.Times > 0 {
		f.Times--
		if f.Times == 0 {
			s.faults[action] = q[1:]
		}
	}
	return f
}

// apiError is an AWS error reply.
type apiError struct {
	status    int
	code, msg string
}

func (e *apiError) Error() string { return e.code + ": " + e.msg }

func errf(code, format string, args ...any) *apiError {
	return &apiError{code: code, msg: fmt.Sprintf(format, args...)}
}

// statusFor is the HTTP status AWS uses for well-known codes.
func statusFor(code string) int {
	switch code {
	case "NoSuchEntity", "ClusterNotFound":
		return http.StatusNotFound
	case "EntityAlreadyExists", "DeleteConflict":
		return http.StatusConflict
	case "AccessDenied", "AccessDeniedException", "InvalidClientTokenId", "SignatureDoesNotMatch", "UnauthorizedOperation", "AuthFailure":
		return http.StatusForbidden
	case "Throttling", "ThrottlingException":
		return http.StatusBadRequest
	}
	return http.StatusBadRequest
}

// service is one AWS service's protocol and operations.
type service struct {
	handle func(s *Server, c Call) ([]node, error)
	reply  func(w http.ResponseWriter, action string, result []node, reqID string)
	fail   func(w http.ResponseWriter, err error, reqID string)
}

var handlers = map[string]service{
	"iam":      {handle: handleIAM, reply: queryReply(nsIAM), fail: queryFail(nsIAM)},
	"redshift": {handle: handleRedshift, reply: queryReply(nsRedshift), fail: queryFail(nsRedshift)},
	"ec2":      {handle: handleEC2, reply: ec2Reply, fail: ec2Fail},
}

// members collects list parameters such as Prefix.1, Prefix.2 (in order).
func members(p url.Values, prefix string) []string {
	var out []string
	for i := 1; ; i++ {
		v, ok := p[fmt.Sprintf("%s.%d", prefix, i)]
		if !ok {
			return out
		}
		out = append(out, v[0])
	}
}
