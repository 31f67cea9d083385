package awsfake

import (
	"maps"
	"slices"
	"strconv"
)

// Cluster is a Redshift cluster in the fake.
type Cluster struct {
	Identifier     string
	Status         string // creating, available, pausing, paused, resuming, final-snapshot, deleting
	NodeType       string
	NumberOfNodes  int
	DBName         string
	MasterUsername string
	Port           int
	IAMRoles       []string
	SecurityGroup  string
	VPCID          string
	Public         bool
	Tags           map[string]string
	// PasswordSet is true when CreateCluster carried a master password.
	PasswordSet bool
	// SubnetGroup is CreateCluster's ClusterSubnetGroupName.
	SubnetGroup string
	// SecurityGroups are all the groups CreateCluster named.
	SecurityGroups []string
	// FinalSnapshot is the snapshot DeleteCluster was asked to take.
	FinalSnapshot string

	pollsLeft  int      // polls before next[0] applies
	next       []string // the states a transition goes through; "gone" for deletion
	staleLeft  int      // polls that still show staleState
	staleState string
}

// PutCluster adds or replaces a cluster; empty fields get defaults
// (available, ra3.large, one node, port 5439, the default security group).
func (s *Server) PutCluster(c Cluster) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.Status == "" {
		c.Status = "available"
	}
	if c.NodeType == "" {
		c.NodeType = "ra3.large"
	}
	if c.NumberOfNodes == 0 {
		c.NumberOfNodes = 1
	}
	if c.Port == 0 {
		c.Port = 5439
	}
	if c.SecurityGroup == "" {
		c.SecurityGroup, c.VPCID = DefaultGroup, DefaultVPC
	}
	s.clusters[c.Identifier] = &c
}

// Cluster returns a copy of the cluster as it stands (without polling it).
func (s *Server) Cluster(id string) (Cluster, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.clusters[id]
	if !ok {
		return Cluster{}, false
	}
	out := *c
	out.IAMRoles = slices.Clone(c.IAMRoles)
	out.SecurityGroups = slices.Clone(c.SecurityGroups)
	out.next = slices.Clone(c.next)
	out.Tags = maps.Clone(c.Tags)
	return out, true
}

// transition puts c in state now, then through next, each step taking
// the configured number of polls. With SetStalePolls, the first polls
// still show the state before the change, as AWS's eventually consistent
// reads can.
func (s *Server) transition(c *Cluster, now string, next ...string) {
	if c.Status != "" {
		c.staleState, c.staleLeft = c.Status, s.stale
	}
	c.Status, c.next, c.pollsLeft = now, next, s.polls
}

// poll advances a cluster's transition by one DescribeClusters call and
// reports whether it still exists.
func (s *Server) poll(c *Cluster) bool {
	if len(c.next) == 0 {
		return true
	}
	if c.pollsLeft > 0 {
		c.pollsLeft--
		return true
	}
	if c.next[0] == "gone" {
		delete(s.clusters, c.Identifier)
		return false
	}
	c.Status, c.next, c.pollsLeft = c.next[0], c.next[1:], s.polls
	if len(c.next) == 0 {
		c.pollsLeft = 0
	}
	return true
}

// shown is the cluster as the next DescribeClusters shows it.
func (c *Cluster) shown() Cluster {
	out := *c
	if c.staleLeft > 0 {
		c.staleLeft--
		out.Status = c.staleState
	}
	return out
}

func notFound(id string) error { return errf("ClusterNotFound", "Cluster %s not found.", id) }

func handleRedshift(s *Server, call Call) ([]node, error) {
	p := call.Params
	id := p.Get("ClusterIdentifier")
	c := s.clusters[id]
	switch call.Action {
	case "DescribeClusters":
		list := el("Clusters")
		for _, k := range slices.Sorted(maps.Keys(s.clusters)) {
			if id != "" && k != id {
				continue
			}
			cl := s.clusters[k]
			if cl.staleLeft > 0 {
				shown := cl.shown()
				list.kids = append(list.kids, shown.xml(call.Region))
			} else if s.poll(cl) {
				list.kids = append(list.kids, cl.xml(call.Region))
			}
		}
		if id != "" && len(list.kids) == 0 {
			return nil, notFound(id)
		}
		return []node{list}, nil
	case "CreateCluster":
		return s.createCluster(call)
	}
	if c == nil {
		return nil, notFound(id)
	}
	switch call.Action {
	case "DeleteCluster":
		if c.Status == "deleting" || c.Status == "final-snapshot" {
			return nil, errf("InvalidClusterState", "Cluster %s is already being deleted.", id)
		}
		skip := p.Get("SkipFinalClusterSnapshot") == "true"
		if !skip && p.Get("FinalClusterSnapshotIdentifier") == "" {
			return nil, errf("InvalidParameterCombination", "FinalClusterSnapshotIdentifier is required unless SkipFinalClusterSnapshot is specified.")
		}
		if skip {
			s.transition(c, "deleting", "gone")
		} else {
			// "final-snapshot while the snapshot is being taken, then
			// deleting" (DeleteCluster in the Redshift API reference).
			c.FinalSnapshot = p.Get("FinalClusterSnapshotIdentifier")
			s.transition(c, "final-snapshot", "deleting", "gone")
		}
	case "PauseCluster":
		if c.Status != "available" {
			return nil, errf("InvalidClusterState", "You can only pause an available cluster; %s is %s.", id, c.Status)
		}
		s.transition(c, "pausing", "paused")
	case "ResumeCluster":
		if c.Status != "paused" {
			return nil, errf("InvalidClusterState", "You can only resume a paused cluster; %s is %s.", id, c.Status)
		}
		s.transition(c, "resuming", "available")
	default:
		return nil, errf("InvalidAction", "the fake does not implement redshift %s", call.Action)
	}
	return []node{c.xml(call.Region)}, nil
}

func (s *Server) createCluster(call Call) ([]node, error) {
	p := call.Params
	id := p.Get("ClusterIdentifier")
	if _, ok := s.clusters[id]; ok {
		return nil, errf("ClusterAlreadyExists", "Cluster already exists")
	}
	for _, k := range []string{"ClusterIdentifier", "NodeType", "MasterUsername", "MasterUserPassword"} {
		if p.Get(k) == "" {
			return nil, errf("InvalidParameterValue", "%s is required", k)
		}
	}
	nodes := 1
	if n := p.Get("NumberOfNodes"); n != "" {
		nodes, _ = strconv.Atoi(n)
	}
	switch p.Get("ClusterType") {
	case "single-node":
		if p.Get("NumberOfNodes") != "" && nodes != 1 {
			return nil, errf("InvalidParameterCombination", "Number of nodes for cluster type single-node must be 1.")
		}
	case "multi-node", "":
		if nodes < 2 {
			return nil, errf("InvalidParameterCombination", "Number of nodes for cluster type multi-node must be greater than or equal to 2.")
		}
	}
	port, _ := strconv.Atoi(p.Get("Port"))
	if port == 0 {
		port = 5439
	}
	c := &Cluster{
		Identifier: id, NodeType: p.Get("NodeType"), NumberOfNodes: nodes,
		DBName: p.Get("DBName"), MasterUsername: p.Get("MasterUsername"), Port: port,
		IAMRoles: members(p, "IamRoles.IamRoleArn"), SecurityGroup: DefaultGroup, VPCID: DefaultVPC,
		Public: p.Get("PubliclyAccessible") == "true", Tags: tags(p, "Tags.Tag"), PasswordSet: true,
	}
	if c.DBName == "" {
		c.DBName = "dev"
	}
	if sgs := members(p, "VpcSecurityGroupIds.VpcSecurityGroupId"); len(sgs) > 0 {
		c.SecurityGroup, c.SecurityGroups = sgs[0], sgs
	}
	c.SubnetGroup = p.Get("ClusterSubnetGroupName")
	s.clusters[id] = c
	s.transition(c, "creating", "available")
	return []node{c.xml(call.Region)}, nil
}

func (c *Cluster) xml(region string) node {
	avail := map[string]string{"available": "Available", "paused": "Paused", "creating": "Unavailable",
		"deleting": "Unavailable", "final-snapshot": "Unavailable", "pausing": "Modifying", "resuming": "Modifying"}[c.Status]
	n := el("Cluster",
		tx("ClusterIdentifier", c.Identifier),
		tx("NodeType", c.NodeType),
		tx("ClusterStatus", c.Status),
		tx("ClusterAvailabilityStatus", avail),
		tx("MasterUsername", c.MasterUsername),
		tx("DBName", c.DBName),
		tx("NumberOfNodes", c.NumberOfNodes),
		tx("PubliclyAccessible", c.Public),
		tx("VpcId", c.VPCID),
		el("VpcSecurityGroups", el("VpcSecurityGroup", tx("VpcSecurityGroupId", c.SecurityGroup), tx("Status", "active"))),
	)
	if c.Status != "creating" {
		if region == "" {
			region = Region
		}
		n.kids = append(n.kids, el("Endpoint", tx("Address", c.Identifier+".cfake0abc123."+region+".redshift.amazonaws.com"), tx("Port", c.Port)))
	}
	roles := el("IamRoles")
	for _, arn := range c.IAMRoles {
		roles.kids = append(roles.kids, el("ClusterIamRole", tx("IamRoleArn", arn), tx("ApplyStatus", "in-sync")))
	}
	tagList := el("Tags")
	for _, k := range slices.Sorted(maps.Keys(c.Tags)) {
		tagList.kids = append(tagList.kids, el("Tag", tx("Key", k), tx("Value", c.Tags[k])))
	}
	n.kids = append(n.kids, roles, tagList)
	return n
}
