package store

// ReadOnlyStatement exposes readOnly to the tests of package store_test.
var ReadOnlyStatement = readOnly
