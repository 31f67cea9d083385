package cluster

import "context"

// Status is the cluster as AWS sees it, with the rules that let addresses
// reach its database port.
type Status struct {
	Info
	Region  string `json:"region"`
	Ingress []Rule `json:"ingress"`
}

// Status describes the cluster; ErrClusterNotFound when there is none.
func (m *Manager) Status(ctx context.Context) (*Status, error) {
	if m.Spec.Serverless {
		return m.serverlessStatus(ctx)
	}
	c, err := m.mustDescribe(ctx, "DescribeClusters")
	if err != nil {
		return nil, err
	}
	st := &Status{Info: *infoOf(c), Region: m.Region, Ingress: []Rule{}}
	if len(c.VpcSecurityGroups) > 0 {
		group, err := securityGroup(c)
		if err != nil {
			return st, err
		}
		rules, err := m.ingress(ctx, group, m.dbPort(c))
		if err != nil {
			return st, err
		}
		st.Ingress = append(st.Ingress, rules...)
	}
	return st, nil
}
