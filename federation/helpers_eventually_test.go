package federation_test

import "github.com/commonsd/commonsd/app/apptest"

var eventually = apptest.Eventually
