package corpus

import "strings"

// CodeSet is the ICD-10-CM code set the truth's billable flags refer to. The
// generated documents are received from October 2026 on, when FY2027 is in
// force.
const CodeSet = "FY2027"

// icdCode is one ICD-10-CM code the generator prints: its official FY2027
// description (or, for a header, the title offices still print) and shorter
// descriptions offices write instead.
type icdCode struct {
	code     string // with the dot
	desc     string
	billable bool
	alt      []string
}

// icdCodes are real codes of the massage domain. Billable codes and their
// descriptions are checked against the CDC file in a test; the headers are
// the traps of docs/rules.md.
var icdCodes = []icdCode{
	// Low back, sacrum.
	{"M54.50", "Low back pain, unspecified", true, []string{"Low back pain", "LBP", "Lumbago"}},
	{"M54.59", "Other low back pain", true, nil},
	{"M54.51", "Vertebrogenic low back pain", true, nil},
	{"M62.830", "Muscle spasm of back", true, []string{"Back spasm", "Muscle spasm, back"}},
	{"M54.16", "Radiculopathy, lumbar region", true, []string{"Lumbar radiculopathy"}},
	{"M54.17", "Radiculopathy, lumbosacral region", true, []string{"Lumbosacral radiculopathy"}},
	{"M54.41", "Lumbago with sciatica, right side", true, []string{"Lumbago w/ sciatica, R"}},
	{"M54.42", "Lumbago with sciatica, left side", true, []string{"Lumbago w/ sciatica, L"}},
	{"M54.31", "Sciatica, right side", true, []string{"Sciatica, R"}},
	{"M54.32", "Sciatica, left side", true, []string{"Sciatica, L"}},
	{"M51.16", "Intervertebral disc disorders with radiculopathy, lumbar region", true, []string{"Lumbar disc disorder w/ radiculopathy"}},
	{"M46.1", "Sacroiliitis, not elsewhere classified", true, []string{"Sacroiliitis"}},
	{"M53.3", "Sacrococcygeal disorders, not elsewhere classified", true, []string{"Sacrococcygeal disorder"}},
	{"M99.03", "Segmental and somatic dysfunction of lumbar region", true, nil},
	{"M99.04", "Segmental and somatic dysfunction of sacral region", true, nil},
	{"S33.5XXA", "Sprain of ligaments of lumbar spine, initial encounter", true, []string{"Lumbar sprain, initial"}},
	{"S39.012A", "Strain of muscle, fascia and tendon of lower back, initial encounter", true, []string{"Low back strain, initial"}},
	{"M47.816", "Spondylosis without myelopathy or radiculopathy, lumbar region", true, []string{"Lumbar spondylosis"}},
	{"M48.061", "Spinal stenosis, lumbar region without neurogenic claudication", true, []string{"Lumbar stenosis"}},
	// Neck, head.
	{"M54.2", "Cervicalgia", true, []string{"Neck pain"}},
	{"S13.4XXA", "Sprain of ligaments of cervical spine, initial encounter", true, []string{"Whiplash, initial encounter", "Cervical sprain, initial"}},
	{"S16.1XXA", "Strain of muscle, fascia and tendon at neck level, initial encounter", true, []string{"Neck strain, initial"}},
	{"M62.838", "Other muscle spasm", true, []string{"Muscle spasm"}},
	{"M47.812", "Spondylosis without myelopathy or radiculopathy, cervical region", true, []string{"Cervical spondylosis"}},
	{"M54.12", "Radiculopathy, cervical region", true, []string{"Cervical radiculopathy"}},
	{"M99.01", "Segmental and somatic dysfunction of cervical region", true, nil},
	{"M53.82", "Other specified dorsopathies, cervical region", true, nil},
	{"M79.12", "Myalgia of auxiliary muscles, head and neck", true, nil},
	{"M43.6", "Torticollis", true, nil},
	{"G44.209", "Tension-type headache, unspecified, not intractable", true, []string{"Tension headache"}},
	{"G43.909", "Migraine, unspecified, not intractable, without status migrainosus", true, []string{"Migraine"}},
	{"R51.9", "Headache, unspecified", true, []string{"Headache"}},
	{"M26.621", "Arthralgia of right temporomandibular joint", true, []string{"R TMJ pain"}},
	{"M26.622", "Arthralgia of left temporomandibular joint", true, []string{"L TMJ pain"}},
	{"M26.623", "Arthralgia of bilateral temporomandibular joint", true, []string{"TMJ pain, bilateral"}},
	// Thoracic.
	{"M54.6", "Pain in thoracic spine", true, []string{"Thoracic back pain", "Mid back pain"}},
	{"S23.3XXA", "Sprain of ligaments of thoracic spine, initial encounter", true, nil},
	{"M99.02", "Segmental and somatic dysfunction of thoracic region", true, nil},
	{"M54.89", "Other dorsalgia", true, nil},
	// Shoulder.
	{"M25.511", "Pain in right shoulder", true, []string{"R shoulder pain", "Right shoulder pain"}},
	{"M25.512", "Pain in left shoulder", true, []string{"L shoulder pain", "Left shoulder pain"}},
	{"M75.41", "Impingement syndrome of right shoulder", true, []string{"R shoulder impingement"}},
	{"M75.42", "Impingement syndrome of left shoulder", true, []string{"L shoulder impingement"}},
	{"M75.01", "Adhesive capsulitis of right shoulder", true, []string{"Frozen shoulder, right"}},
	{"M75.02", "Adhesive capsulitis of left shoulder", true, []string{"Frozen shoulder, left"}},
	{"M62.411", "Contracture of muscle, right shoulder", true, nil},
	// Hip, leg, foot.
	{"M25.551", "Pain in right hip", true, []string{"R hip pain"}},
	{"M25.552", "Pain in left hip", true, []string{"L hip pain"}},
	{"G57.01", "Lesion of sciatic nerve, right lower limb", true, []string{"Piriformis syndrome, right"}},
	{"G57.02", "Lesion of sciatic nerve, left lower limb", true, []string{"Piriformis syndrome, left"}},
	{"M70.61", "Trochanteric bursitis, right hip", true, nil},
	{"M70.62", "Trochanteric bursitis, left hip", true, nil},
	{"M76.31", "Iliotibial band syndrome, right leg", true, []string{"IT band syndrome, R"}},
	{"M76.32", "Iliotibial band syndrome, left leg", true, []string{"IT band syndrome, L"}},
	{"M62.831", "Muscle spasm of calf", true, []string{"Calf spasm"}},
	{"M79.661", "Pain in right lower leg", true, nil},
	{"M79.662", "Pain in left lower leg", true, nil},
	{"M72.21", "Plantar fascial fibromatosis, right foot", true, []string{"Plantar fasciitis, right foot"}},
	{"M72.22", "Plantar fascial fibromatosis, left foot", true, []string{"Plantar fasciitis, left foot"}},
	// Arm, hand.
	{"G56.01", "Carpal tunnel syndrome, right upper limb", true, []string{"R carpal tunnel syndrome"}},
	{"G56.02", "Carpal tunnel syndrome, left upper limb", true, []string{"L carpal tunnel syndrome"}},
	{"M77.11", "Lateral epicondylitis, right elbow", true, []string{"Tennis elbow, right"}},
	{"M77.12", "Lateral epicondylitis, left elbow", true, []string{"Tennis elbow, left"}},
	{"M79.631", "Pain in right forearm", true, nil},
	{"M79.632", "Pain in left forearm", true, nil},
	{"I89.0", "Lymphedema, not elsewhere classified", true, []string{"Lymphedema"}},
	// Whole body.
	{"M79.7", "Fibromyalgia", true, nil},
	{"M79.18", "Myalgia, other site", true, []string{"Myalgia"}},
	{"R53.83", "Other fatigue", true, []string{"Fatigue"}},
	{"M62.81", "Muscle weakness (generalized)", true, []string{"Generalized muscle weakness"}},

	// Headers: codes with more specific children, rejected by payers.
	{"M54.5", "Low back pain", false, []string{"LBP", "Lumbago"}},
	{"M54.4", "Lumbago with sciatica", false, nil},
	{"M51.36", "Other intervertebral disc degeneration, lumbar region", false, []string{"DDD, lumbar"}},
	{"M99.0", "Segmental and somatic dysfunction", false, nil},
	{"M79.1", "Myalgia", false, nil},
	{"M62.83", "Muscle spasm", false, nil},
	{"M25.51", "Pain in shoulder", false, []string{"Shoulder pain"}},
	{"M25.55", "Pain in hip", false, []string{"Hip pain"}},
	{"S13.4", "Sprain of ligaments of cervical spine", false, []string{"Whiplash"}},
	{"R51", "Headache", false, nil},
	{"M72.2", "Plantar fascial fibromatosis", false, []string{"Plantar fasciitis"}},
}

var icdByCode = func() map[string]*icdCode {
	m := make(map[string]*icdCode, len(icdCodes))
	for i := range icdCodes {
		m[icdCodes[i].code] = &icdCodes[i]
	}
	return m
}()

// lookupICD returns the curated entry of a code; it panics on a code the
// table does not hold, which is a programming error in a theme.
func lookupICD(code string) *icdCode {
	c, ok := icdByCode[code]
	if !ok {
		panic("corpus: ICD code not in table: " + code)
	}
	return c
}

// undotted returns a code as the CDC file writes it (M5450).
func undotted(code string) string { return strings.ReplaceAll(code, ".", "") }
