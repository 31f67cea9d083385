package cluster

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"strings"
)

// PublicIP asks an HTTPS "what is my IP" endpoint (one that answers with
// the bare address, like https://checkip.amazonaws.com) for the caller's
// public address.
func PublicIP(ctx context.Context, client *http.Client, url string) (netip.Addr, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return netip.Addr{}, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("find your public IP address at %s: %w; pass --cidr ADDRESS/32 instead", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 256))
	if err != nil || resp.StatusCode != http.StatusOK {
		return netip.Addr{}, fmt.Errorf("find your public IP address at %s: %s; pass --cidr ADDRESS/32 instead", url, resp.Status)
	}
	addr, err := netip.ParseAddr(strings.TrimSpace(string(body)))
	if err != nil {
		return netip.Addr{}, fmt.Errorf("find your public IP address at %s: the answer is not an address; pass --cidr ADDRESS/32 instead", url)
	}
	return addr.Unmap(), nil
}

// ParseCIDR reads an address range; a bare address means just that host
// (/32 or /128). A range that covers every address is refused unless
// allowAnywhere.
func ParseCIDR(s string, allowAnywhere bool) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	var p netip.Prefix
	if strings.Contains(s, "/") {
		var err error
		if p, err = netip.ParsePrefix(s); err != nil {
			return p, fmt.Errorf("%w: %q (want e.g. 203.0.113.7/32)", ErrBadCIDR, s)
		}
	} else {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return p, fmt.Errorf("%w: %q (want e.g. 203.0.113.7/32)", ErrBadCIDR, s)
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	p = p.Masked()
	if p.Bits() == 0 && !allowAnywhere {
		return p, fmt.Errorf("%w: %s would let anyone on the internet try the database password; "+
			"open it to your own address (the default) or a narrower --cidr, or pass --allow-anywhere if you really mean it", ErrAnywhere, p)
	}
	return p, nil
}
