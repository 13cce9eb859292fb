package queue

import "errors"

// IsPermanent reports whether err was marked by Permanent (the job gives up
// instead of retrying).
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}
