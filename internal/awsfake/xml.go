package awsfake

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

const (
	nsIAM      = "https://iam.amazonaws.com/doc/2010-05-08/"
	nsRedshift = "http://redshift.amazonaws.com/doc/2012-12-01/"
	nsEC2      = "http://ec2.amazonaws.com/doc/2016-11-15/"
)

// node is one XML element: text or children.
type node struct {
	name string
	text string
	kids []node
}

func el(name string, kids ...node) node { return node{name: name, kids: kids} }

func tx(name string, v any) node { return node{name: name, text: fmt.Sprint(v)} }

func (n node) write(b *strings.Builder) {
	b.WriteString("<" + n.name + ">")
	if n.kids == nil {
		xml.EscapeText(b, []byte(n.text))
	}
	for _, k := range n.kids {
		k.write(b)
	}
	b.WriteString("</" + n.name + ">")
}

func render(nodes []node) string {
	var b strings.Builder
	for _, n := range nodes {
		n.write(&b)
	}
	return b.String()
}

func writeXML(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+body)
}

// queryReply answers in the AWS Query protocol: the result wrapped in
// <{Action}Result>, none for operations that return nothing.
func queryReply(ns string) func(http.ResponseWriter, string, []node, string) {
	return func(w http.ResponseWriter, action string, result []node, reqID string) {
		body := ""
		if result != nil {
			body = "<" + action + "Result>" + render(result) + "</" + action + "Result>"
		}
		writeXML(w, http.StatusOK, fmt.Sprintf(`<%sResponse xmlns="%s">%s<ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata></%sResponse>`,
			action, ns, body, reqID, action))
	}
}

func asAPIError(err error) *apiError {
	var ae *apiError
	if !errors.As(err, &ae) {
		ae = &apiError{status: http.StatusInternalServerError, code: "InternalFailure", msg: err.Error()}
	}
	if ae.status == 0 {
		ae.status = statusFor(ae.code)
	}
	return ae
}

func queryFail(ns string) func(http.ResponseWriter, error, string) {
	return func(w http.ResponseWriter, err error, reqID string) {
		ae := asAPIError(err)
		writeQueryError(w, ns, ae.status, ae.code, ae.msg, reqID)
	}
}

func writeQueryError(w http.ResponseWriter, ns string, status int, code, msg, reqID string) {
	body := render([]node{el("Error", tx("Type", "Sender"), tx("Code", code), tx("Message", msg)), tx("RequestId", reqID)})
	writeXML(w, status, fmt.Sprintf(`<ErrorResponse xmlns="%s">%s</ErrorResponse>`, ns, body))
}

// ec2Reply answers in the EC2 Query protocol: no Result wrapper.
func ec2Reply(w http.ResponseWriter, action string, result []node, reqID string) {
	writeXML(w, http.StatusOK, fmt.Sprintf(`<%sResponse xmlns="%s"><requestId>%s</requestId>%s</%sResponse>`,
		action, nsEC2, reqID, render(result), action))
}

func ec2Fail(w http.ResponseWriter, err error, reqID string) {
	ae := asAPIError(err)
	body := render([]node{el("Errors", el("Error", tx("Code", ae.code), tx("Message", ae.msg))), tx("RequestID", reqID)})
	writeXML(w, ae.status, "<Response>"+body+"</Response>")
}
