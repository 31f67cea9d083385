package cluster

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/smithy-go"
)

// Sentinels for the kinds of failure a caller may want to tell apart;
// the errors returned wrap one of them (errors.Is).
var (
	ErrClusterNotFound = errors.New("cluster not found")
	ErrRoleNotFound    = errors.New("IAM role not found")
	ErrAccessDenied    = errors.New("access denied")
	ErrCredentials     = errors.New("AWS did not accept the credentials")
	ErrQuota           = errors.New("quota exceeded")
	ErrNameTaken       = errors.New("cluster name taken")
	ErrInvalidState    = errors.New("cluster is in the wrong state")
	ErrTimeout         = errors.New("timed out waiting for the cluster")
	ErrAnywhere        = errors.New("refusing to open the database port to the whole internet")
	ErrBadCIDR         = errors.New("not an address range")
	ErrNoPassword      = errors.New("no database password")
	ErrBadPassword     = errors.New("database password not accepted by Redshift")
	ErrBadSpec         = errors.New("cluster settings incomplete")
	ErrAWS             = errors.New("AWS request failed")
)

// Error is an AWS call that failed, with what to do about it.
type Error struct {
	Service, Operation string
	Code               string // the AWS error code, if AWS answered
	Kind               error  // one of the sentinels
	Hint               string // what to do
	Err                error  // the SDK's error
}

// Error says which call failed, why, and what to do.
func (e *Error) Error() string {
	msg := e.Err.Error()
	var api smithy.APIError
	if errors.As(e.Err, &api) {
		msg = api.ErrorCode()
		if m := api.ErrorMessage(); m != "" {
			msg += ": " + m
		}
	}
	s := fmt.Sprintf("%s %s: %s", e.Service, e.Operation, msg)
	if e.Hint != "" {
		s += "\n  " + e.Hint
	}
	return s
}

// Unwrap gives both the sentinel and the SDK's error to errors.Is/As.
func (e *Error) Unwrap() []error { return []error{e.Kind, e.Err} }

// errorCode is the AWS error code of err, or "".
func errorCode(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return ""
}

func hasCode(err error, codes ...string) bool {
	c := errorCode(err)
	for _, want := range codes {
		if c != "" && strings.EqualFold(c, want) {
			return true
		}
	}
	return false
}

// explain turns an SDK error into an *Error that says what to do.
func (m *Manager) explain(service, op string, err error) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	e := &Error{Service: service, Operation: op, Code: errorCode(err), Kind: ErrAWS, Err: err}
	id, region := m.Spec.Identifier, m.Region
	switch e.Code {
	case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess", "AuthorizationError":
		e.Kind = ErrAccessDenied
		e.Hint = fmt.Sprintf("your AWS identity is not allowed %s:%s; ask an administrator to grant it (e.g. in a policy on your IAM user)", service, op)
	case "InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "AuthFailure",
		"ExpiredToken", "ExpiredTokenException", "InvalidAccessKeyId", "IncompleteSignature", "MissingAuthenticationToken":
		e.Kind = ErrCredentials
		e.Hint = fmt.Sprintf("check KEY and SECRET in aws_credentials (or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_PROFILE); if they are right, check that region %s is enabled for the account", region)
	case "ClusterQuotaExceeded", "NumberOfNodesQuotaExceeded", "NumberOfNodesPerClusterLimitExceeded":
		e.Kind = ErrQuota
		e.Hint = fmt.Sprintf("the account's Redshift quota in %s is used up: delete clusters you do not need, lower NUMBER_OF_NODES in dwh.cfg, or ask AWS Support for a higher quota", region)
	case "InsufficientClusterCapacity":
		e.Kind = ErrQuota
		e.Hint = fmt.Sprintf("AWS has no %s capacity in %s right now: try later, another NODE_TYPE or another REGION", m.Spec.NodeType, region)
	case "ClusterAlreadyExists":
		e.Kind = ErrNameTaken
		e.Hint = fmt.Sprintf("the name %s is already taken in this account and region %s, by a cluster sparkify could not see a moment ago (being created by someone else, or hidden by your permissions): choose another CLUSTER_IDENTIFIER in dwh.cfg, or run 'sparkify cluster status' in a while", id, region)
	case "ClusterNotFound":
		e.Kind = ErrClusterNotFound
		e.Hint = fmt.Sprintf("no cluster named %s in region %s: run 'sparkify cluster up' (or check REGION and CLUSTER_IDENTIFIER)", id, region)
	case "NoSuchEntity":
		e.Kind = ErrRoleNotFound
		e.Hint = fmt.Sprintf("no IAM role named %s: run 'sparkify cluster up'", m.Spec.RoleName)
	case "InvalidClusterState":
		e.Kind = ErrInvalidState
		e.Hint = "the cluster is busy with another change: see 'sparkify cluster status' and try again when it is available"
	case "InvalidParameterValue", "InvalidParameterCombination", "ValidationError", "InvalidInput", "UnsupportedOperation",
		"ValidationException": // Redshift Serverless
		e.Hint = "AWS rejected a setting: check [CLUSTER] and [IAM_ROLE] in dwh.cfg"
	case "":
		s := err.Error()
		switch {
		case strings.Contains(s, "get credentials") || strings.Contains(s, "retrieve credentials"):
			e.Kind = ErrCredentials
			e.Hint = "no AWS credentials found: put KEY, SECRET and REGION under [AWS] in aws_credentials next to dwh.cfg, or configure the AWS CLI (aws configure / AWS_PROFILE)"
		case strings.Contains(s, "no such host") || strings.Contains(s, "connection refused") || strings.Contains(s, "dial tcp"):
			e.Hint = fmt.Sprintf("cannot reach AWS: check the network, REGION (%s) and AWS_ENDPOINT_URL if set", region)
		}
	}
	if op == "CreateCluster" && nodeTypeRefused(err) {
		e.Hint = m.nodeTypeHint()
	}
	return e
}
