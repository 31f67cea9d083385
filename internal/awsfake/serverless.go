package awsfake

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// Redshift Serverless speaks the awsJson1_1 protocol: POST / with
// Content-Type application/x-amz-json-1.1, X-Amz-Target
// RedshiftServerless.<Operation>, a JSON body with lowerCamel members, and
// errors as HTTP 4xx with {"__type": "<Code>", "message": "..."} (as the
// SDK's service/redshiftserverless serializers and deserializers read and
// write them).

// Namespace is a Redshift Serverless namespace in the fake.
type Namespace struct {
	Name, ARN      string
	Status         string // AVAILABLE, DELETING
	AdminUsername  string
	DBName         string
	IAMRoles       []string
	DefaultIAMRole string
	PasswordSet    bool
	FinalSnapshot  string
	Tags           map[string]string

	pollsLeft int
}

// Workgroup is a Redshift Serverless workgroup in the fake.
type Workgroup struct {
	Name, ARN      string
	Namespace      string
	Status         string // CREATING, AVAILABLE, DELETING
	BaseCapacity   int
	Port           int
	Public         bool
	SecurityGroups []string
	Tags           map[string]string

	pollsLeft int
	next      string // "AVAILABLE", or "gone"
}

// PutNamespace adds or replaces a namespace (AVAILABLE when Status is "").
func (s *Server) PutNamespace(n Namespace) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n.Status == "" {
		n.Status = "AVAILABLE"
	}
	n.ARN = serverlessARN("namespace", n.Name)
	s.namespaces[n.Name] = &n
}

// PutWorkgroup adds or replaces a workgroup (AVAILABLE, port 5439, the
// default security group when empty).
func (s *Server) PutWorkgroup(w Workgroup) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if w.Status == "" {
		w.Status = "AVAILABLE"
	}
	if w.Port == 0 {
		w.Port = 5439
	}
	if len(w.SecurityGroups) == 0 {
		w.SecurityGroups = []string{DefaultGroup}
	}
	w.ARN = serverlessARN("workgroup", w.Name)
	s.workgroups[w.Name] = &w
}

// Namespace returns a copy of the named namespace.
func (s *Server) Namespace(name string) (Namespace, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.namespaces[name]
	if !ok {
		return Namespace{}, false
	}
	out := *n
	out.IAMRoles, out.Tags = slices.Clone(n.IAMRoles), maps.Clone(n.Tags)
	return out, true
}

// Workgroup returns a copy of the named workgroup.
func (s *Server) Workgroup(name string) (Workgroup, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w, ok := s.workgroups[name]
	if !ok {
		return Workgroup{}, false
	}
	out := *w
	out.SecurityGroups, out.Tags = slices.Clone(w.SecurityGroups), maps.Clone(w.Tags)
	return out, true
}

func serverlessARN(kind, name string) string {
	return "arn:aws:redshift-serverless:" + Region + ":" + AccountID + ":" + kind + "/" + name
}

// serveServerless answers one awsJson1_1 request; s.mu is held.
func (s *Server) serveServerless(w http.ResponseWriter, call Call, body map[string]any, reqID string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-RequestId", reqID)
	fail := func(e *apiError) {
		status := e.status
		if status == 0 {
			status = http.StatusBadRequest
			if e.code == "AccessDeniedException" {
				status = http.StatusForbidden
			}
		}
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]string{"__type": e.code, "message": e.msg})
	}
	if f := s.popFault(call.Action); f != nil {
		fail(&apiError{status: f.Status, code: f.Code, msg: f.Message})
		return
	}
	out, err := s.handleServerless(call.Action, body, call.Region)
	if err != nil {
		fail(err)
		return
	}
	json.NewEncoder(w).Encode(out)
}

func str(body map[string]any, k string) string {
	v, _ := body[k].(string)
	return v
}

func strs(body map[string]any, k string) []string {
	var out []string
	list, _ := body[k].([]any)
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func jsonTags(body map[string]any) map[string]string {
	out := map[string]string{}
	list, _ := body["tags"].([]any)
	for _, t := range list {
		if m, ok := t.(map[string]any); ok {
			out[str(m, "key")] = str(m, "value")
		}
	}
	return out
}

func (s *Server) handleServerless(op string, body map[string]any, region string) (any, *apiError) {
	nsName, wgName := str(body, "namespaceName"), str(body, "workgroupName")
	switch op {
	case "CreateNamespace":
		if nsName == "" || s.namespaces[nsName] != nil {
			return nil, errf("ConflictException", "Namespace %s already exists", nsName)
		}
		n := &Namespace{Name: nsName, ARN: serverlessARN("namespace", nsName), Status: "AVAILABLE", AdminUsername: str(body, "adminUsername"),
			DBName: str(body, "dbName"), IAMRoles: strs(body, "iamRoles"), DefaultIAMRole: str(body, "defaultIamRoleArn"),
			PasswordSet: str(body, "adminUserPassword") != "", Tags: jsonTags(body)}
		if n.DBName == "" {
			n.DBName = "dev"
		}
		s.namespaces[nsName] = n
		return map[string]any{"namespace": n.json()}, nil
	case "GetNamespace", "DeleteNamespace":
		n := s.namespaces[nsName]
		if n == nil {
			return nil, errf("ResourceNotFoundException", "Namespace %s not found", nsName)
		}
		if op == "GetNamespace" {
			if n.Status == "DELETING" {
				if n.pollsLeft == 0 {
					delete(s.namespaces, nsName)
					return nil, errf("ResourceNotFoundException", "Namespace %s not found", nsName)
				}
				n.pollsLeft--
			}
			return map[string]any{"namespace": n.json()}, nil
		}
		for _, wg := range s.workgroups {
			if wg.Namespace == nsName {
				return nil, errf("ConflictException", "There are workgroups associated with the namespace %s", nsName)
			}
		}
		n.Status, n.pollsLeft, n.FinalSnapshot = "DELETING", s.polls, str(body, "finalSnapshotName")
		return map[string]any{"namespace": n.json()}, nil
	case "CreateWorkgroup":
		if s.workgroups[wgName] != nil {
			return nil, errf("ConflictException", "Workgroup %s already exists", wgName)
		}
		if s.namespaces[nsName] == nil {
			return nil, errf("ResourceNotFoundException", "Namespace %s not found", nsName)
		}
		capacity, _ := body["baseCapacity"].(float64)
		port, _ := body["port"].(float64)
		wg := &Workgroup{Name: wgName, ARN: serverlessARN("workgroup", wgName), Namespace: nsName, Status: "CREATING",
			BaseCapacity: int(capacity), Port: int(port), Public: body["publiclyAccessible"] == true,
			SecurityGroups: strs(body, "securityGroupIds"), Tags: jsonTags(body), pollsLeft: s.polls, next: "AVAILABLE"}
		if wg.Port == 0 {
			wg.Port = 5439
		}
		if len(wg.SecurityGroups) == 0 {
			wg.SecurityGroups = []string{DefaultGroup}
		}
		s.workgroups[wgName] = wg
		return map[string]any{"workgroup": wg.json(region)}, nil
	case "GetWorkgroup", "DeleteWorkgroup":
		wg := s.workgroups[wgName]
		if wg == nil {
			return nil, errf("ResourceNotFoundException", "Workgroup %s not found", wgName)
		}
		if op == "DeleteWorkgroup" {
			wg.Status, wg.next, wg.pollsLeft = "DELETING", "gone", s.polls
			return map[string]any{"workgroup": wg.json(region)}, nil
		}
		if wg.next != "" {
			if wg.pollsLeft > 0 {
				wg.pollsLeft--
			} else if wg.next == "gone" {
				delete(s.workgroups, wgName)
				return nil, errf("ResourceNotFoundException", "Workgroup %s not found", wgName)
			} else {
				wg.Status, wg.next = wg.next, ""
			}
		}
		return map[string]any{"workgroup": wg.json(region)}, nil
	case "ListTagsForResource":
		arn := str(body, "resourceArn")
		for _, n := range s.namespaces {
			if n.ARN == arn {
				return map[string]any{"tags": tagList(n.Tags)}, nil
			}
		}
		for _, wg := range s.workgroups {
			if wg.ARN == arn {
				return map[string]any{"tags": tagList(wg.Tags)}, nil
			}
		}
		return nil, errf("ResourceNotFoundException", "Resource %s not found", arn)
	}
	return nil, errf("UnknownOperationException", "the fake does not implement redshift-serverless %s", op)
}

func tagList(tags map[string]string) []map[string]string {
	out := []map[string]string{}
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		out = append(out, map[string]string{"key": k, "value": tags[k]})
	}
	return out
}

func (n *Namespace) json() map[string]any {
	return map[string]any{"namespaceName": n.Name, "namespaceArn": n.ARN, "namespaceId": "fake-" + n.Name, "status": n.Status,
		"adminUsername": n.AdminUsername, "dbName": n.DBName, "iamRoles": n.IAMRoles, "defaultIamRoleArn": n.DefaultIAMRole}
}

func (wg *Workgroup) json(region string) map[string]any {
	out := map[string]any{"workgroupName": wg.Name, "workgroupArn": wg.ARN, "workgroupId": "fake-" + wg.Name, "namespaceName": wg.Namespace,
		"status": wg.Status, "baseCapacity": wg.BaseCapacity, "port": wg.Port, "publiclyAccessible": wg.Public,
		"securityGroupIds": wg.SecurityGroups}
	if wg.Status != "CREATING" {
		if region == "" {
			region = Region
		}
		out["endpoint"] = map[string]any{"address": fmt.Sprintf("%s.%s.%s.redshift-serverless.amazonaws.com", wg.Name, AccountID, region), "port": wg.Port}
	}
	return out
}

// serverlessTarget is the operation of an awsJson1_1 request, or "".
func serverlessTarget(r *http.Request) string {
	op, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), "RedshiftServerless.")
	if !ok {
		return ""
	}
	return op
}
