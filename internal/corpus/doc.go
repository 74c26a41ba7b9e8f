// Package corpus generates the documents rxintake is tested and measured on:
// prescriptions for medical massage as they arrive, each with the truth a
// perfect reader would report.
//
// A document is a content model (patient, prescriber, modality, areas,
// ICD-10-CM codes, session length, plan, medical necessity, signature), a
// layout (an Rx pad, a referral form, an EHR order, a letter, an email body)
// and a medium (a G4 fax TIFF at fine or standard resolution, an image-only
// fax PDF, a text PDF, a flatbed scan as PNG or PDF, a phone photo, a
// fax-to-email notification, an office email with a photo, a plain-text or
// HTML email, a text file). Generate makes one from a Spec; the same Spec
// gives the same bytes.
//
// The truth (Truth, written next to each file as FILE.truth.json) is the
// object `rxintake extract --json` prints, computed from the content model
// with the rules of docs/rules.md for the default payer, plus how the file was
// made. LoadTruth reads one; LoadManifest reads the truths of an evaluation
// corpus.
//
// WriteFixtures writes the named fixtures of testdata/; WriteEval writes an
// evaluation corpus. cmd/rxcorpus runs both.
//
// The typefaces come from the system font directories (FontDirs,
// RXCORPUS_FONT_DIR); a missing one is replaced by a Go font and the truth
// says so.
package corpus
