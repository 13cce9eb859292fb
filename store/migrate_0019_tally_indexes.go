package store

import (
	"github.com/go-gormigrate/gormigrate/v2"
)

// 0019: covering indexes for a proposal's tally (issue 11, closing 100 000
// ballots). The tally walks the frozen electorate and, per voter, asks "still
// an active member?" and "which option?": idx_membership_state answers the
// first and idx_ballot_tally the second from the index alone, without reading
// the table rows.
func init() {
	register(&gormigrate.Migration{
		ID:       "0019_tally_indexes",
		Migrate:  onDialect(sqlite0019, postgres0019),
		Rollback: onDialect(drop0019, drop0019),
	})
}

var drop0019 = ddl{`DROP INDEX "idx_ballot_tally"`, `DROP INDEX "idx_membership_state"`}

var sqlite0019 = ddl{
	"CREATE INDEX `idx_ballot_tally` ON `ballots`(`proposal_id`,`voter_id`,`option`)",
	"CREATE INDEX `idx_membership_state` ON `memberships`(`community_id`,`state`,`actor_id`)",
}

var postgres0019 = ddl{
	`CREATE INDEX "idx_ballot_tally" ON "ballots" ("proposal_id","voter_id","option")`,
	`CREATE INDEX "idx_membership_state" ON "memberships" ("community_id","state","actor_id")`,
}
