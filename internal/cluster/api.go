// Package cluster manages the lifecycle of sparkify's Amazon Redshift
// cluster - its IAM role, the cluster itself (or, with CLUSTER_TYPE =
// serverless, a Redshift Serverless namespace and workgroup), and the
// ingress rule on its VPC security group - over narrow interfaces of the
// AWS SDK clients, so it can be driven against a local fake (see
// internal/awsfake). Only what carries sparkify's tag is ever deleted.
//
// Every verb is safe to run twice: what already exists is reused, what is
// already gone counts as done. With Manager.DryRun set, changing calls are
// printed instead of made; read-only Describe/Get/List calls still run so
// the plan is exact.
package cluster

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/redshift"
	"github.com/aws/aws-sdk-go-v2/service/redshiftserverless"
)

// IAMAPI is the part of the IAM client sparkify uses.
type IAMAPI interface {
	GetRole(context.Context, *iam.GetRoleInput, ...func(*iam.Options)) (*iam.GetRoleOutput, error)
	CreateRole(context.Context, *iam.CreateRoleInput, ...func(*iam.Options)) (*iam.CreateRoleOutput, error)
	ListAttachedRolePolicies(context.Context, *iam.ListAttachedRolePoliciesInput, ...func(*iam.Options)) (*iam.ListAttachedRolePoliciesOutput, error)
	AttachRolePolicy(context.Context, *iam.AttachRolePolicyInput, ...func(*iam.Options)) (*iam.AttachRolePolicyOutput, error)
	DetachRolePolicy(context.Context, *iam.DetachRolePolicyInput, ...func(*iam.Options)) (*iam.DetachRolePolicyOutput, error)
	DeleteRole(context.Context, *iam.DeleteRoleInput, ...func(*iam.Options)) (*iam.DeleteRoleOutput, error)
}

// RedshiftAPI is the part of the Redshift client sparkify uses.
type RedshiftAPI interface {
	DescribeClusters(context.Context, *redshift.DescribeClustersInput, ...func(*redshift.Options)) (*redshift.DescribeClustersOutput, error)
	CreateCluster(context.Context, *redshift.CreateClusterInput, ...func(*redshift.Options)) (*redshift.CreateClusterOutput, error)
	DeleteCluster(context.Context, *redshift.DeleteClusterInput, ...func(*redshift.Options)) (*redshift.DeleteClusterOutput, error)
	PauseCluster(context.Context, *redshift.PauseClusterInput, ...func(*redshift.Options)) (*redshift.PauseClusterOutput, error)
	ResumeCluster(context.Context, *redshift.ResumeClusterInput, ...func(*redshift.Options)) (*redshift.ResumeClusterOutput, error)
}

// EC2API is the part of the EC2 client sparkify uses: security groups.
type EC2API interface {
	DescribeSecurityGroups(context.Context, *ec2.DescribeSecurityGroupsInput, ...func(*ec2.Options)) (*ec2.DescribeSecurityGroupsOutput, error)
	AuthorizeSecurityGroupIngress(context.Context, *ec2.AuthorizeSecurityGroupIngressInput, ...func(*ec2.Options)) (*ec2.AuthorizeSecurityGroupIngressOutput, error)
	RevokeSecurityGroupIngress(context.Context, *ec2.RevokeSecurityGroupIngressInput, ...func(*ec2.Options)) (*ec2.RevokeSecurityGroupIngressOutput, error)
}

// ServerlessAPI is the part of the Redshift Serverless client sparkify
// uses: one namespace (the database, admin user, IAM role) and one
// workgroup (the compute and its endpoint).
type ServerlessAPI interface {
	GetNamespace(context.Context, *redshiftserverless.GetNamespaceInput, ...func(*redshiftserverless.Options)) (*redshiftserverless.GetNamespaceOutput, error)
	CreateNamespace(context.Context, *redshiftserverless.CreateNamespaceInput, ...func(*redshiftserverless.Options)) (*redshiftserverless.CreateNamespaceOutput, error)
	DeleteNamespace(context.Context, *redshiftserverless.DeleteNamespaceInput, ...func(*redshiftserverless.Options)) (*redshiftserverless.DeleteNamespaceOutput, error)
	GetWorkgroup(context.Context, *redshiftserverless.GetWorkgroupInput, ...func(*redshiftserverless.Options)) (*redshiftserverless.GetWorkgroupOutput, error)
	CreateWorkgroup(context.Context, *redshiftserverless.CreateWorkgroupInput, ...func(*redshiftserverless.Options)) (*redshiftserverless.CreateWorkgroupOutput, error)
	DeleteWorkgroup(context.Context, *redshiftserverless.DeleteWorkgroupInput, ...func(*redshiftserverless.Options)) (*redshiftserverless.DeleteWorkgroupOutput, error)
	ListTagsForResource(context.Context, *redshiftserverless.ListTagsForResourceInput, ...func(*redshiftserverless.Options)) (*redshiftserverless.ListTagsForResourceOutput, error)
}

var (
	_ ServerlessAPI = (*redshiftserverless.Client)(nil)
	_ IAMAPI        = (*iam.Client)(nil)
	_ RedshiftAPI   = (*redshift.Client)(nil)
	_ EC2API        = (*ec2.Client)(nil)
)

// Clients are the AWS clients a Manager uses.
type Clients struct {
	IAM        IAMAPI
	Redshift   RedshiftAPI
	EC2        EC2API
	Serverless ServerlessAPI
}

// NewClients builds the SDK clients from one aws.Config.
func NewClients(cfg aws.Config) Clients {
	return Clients{IAM: iam.NewFromConfig(cfg), Redshift: redshift.NewFromConfig(cfg), EC2: ec2.NewFromConfig(cfg),
		Serverless: redshiftserverless.NewFromConfig(cfg)}
}
