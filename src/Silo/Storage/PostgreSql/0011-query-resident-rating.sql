-- Dispatch: the residents' rating (群众评议) of each projected request, for the satisfaction
-- figure of the statistics by period: 0 satisfied, 1 basically satisfied, 2 unsatisfied, NULL
-- while the resident has not rated (or the request was not filed by one). Staff's verification
-- rating stays in `rating`. The catch-up fills it: the projection version it checks was bumped
-- with this column, so a store built before is rebuilt at the next start. Re-runnable.

ALTER TABLE query_requests ADD COLUMN IF NOT EXISTS resident_rating integer NULL;
