package api_test

import "github.com/commonsd/commonsd/service"

func suspend(v bool) service.ModerationChange { return service.ModerationChange{Suspended: &v} }
