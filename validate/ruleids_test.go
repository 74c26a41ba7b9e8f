package validate

import (
	"testing"

	"rxintake/internal/corpus"
)

// The test corpus imports nothing of the product, so its truth files name
// rule ids with its own copies of them; a rule renamed here and not there
// would make every evaluation figure for it wrong without a failing test.
func TestCorpusRuleIDs(t *testing.T) {
	for theirs, ours := range map[string]string{
		corpus.RuleModalityMissing:    RuleModalityMissing,
		corpus.RuleModalityUnspecific: RuleModalityUnspecific,
		corpus.RuleAreasMissing:       RuleAreasMissing,
		corpus.RuleDiagnosisMissing:   RuleDiagnosisMissing,
		corpus.RuleDiagnosisInvalid:   RuleDiagnosisInvalid,
		corpus.RuleDiagnosisSingle:    RuleDiagnosisSingle,
		corpus.RuleSessionMissing:     RuleSessionMissing,
		corpus.RuleFrequencyMissing:   RuleFrequencyMissing,
		corpus.RuleSignatureMissing:   RuleSignatureMissing,
		corpus.RuleNecessityMissing:   RuleNecessityMissing,
		corpus.RulePatientMissing:     RulePatientMissing,
		corpus.RulePrescriberMissing:  RulePrescriberMissing,
		corpus.RuleNPIInvalid:         RuleNPIInvalid,
		corpus.RuleNPIMissing:         RuleNPIMissing,
		corpus.RuleDateMissing:        RuleDateMissing,
		corpus.RuleRxExpired:          RuleRxExpired,
	} {
		if theirs != ours {
			t.Errorf("the corpus names rule %q as %q", ours, theirs)
		}
	}
}
