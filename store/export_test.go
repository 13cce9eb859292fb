package store

// ReadOnlyStatement exposes readOnly to the tests of package store_test.
var ReadOnlyStatement = readOnly

// ActivityColumns exposes activityColumns to the tests of package store_test.
var ActivityColumns = activityColumns
