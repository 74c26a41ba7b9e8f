package extract

import "testing"

func TestParseFaxHeader(t *testing.T) {
	tests := []struct {
		line     string
		ok       bool
		number   string
		name     string
		page, of int
	}{
		{"NOV-20-2026 14:32  FROM: GULF COAST FAMILY MED  9415550143  P. 1/2", true, "9415550143", "GULF COAST FAMILY MED", 1, 2},
		{"11/20/2026 2:32PM FROM: (941) 555-0143 TO: 9415550199 P.001/002", true, "9415550143", "", 1, 2},
		{"Nov 20 2026 02:32pm  Gulf Coast FM  941-555-0143  page 2 of 3", true, "9415550143", "", 2, 3},
		{"08/17/1996 15:27 FROM Chez Oxford Business Ctr TO Sam Leffler P.01", true, "", "Chez Oxford Business Ctr", 1, 0},
		{"TO: 9415550199 FROM: 9415550143 11/20/2026 10:02 P 1/1", true, "9415550143", "", 1, 1},
		{"Patient: Mary Jones DOB 04/02/1961", false, "", "", 0, 0},
		{"Dx: M54.50 Low back pain, unspecified", false, "", "", 0, 0},
		{"Phone 941-555-0143  Fax 941-555-0144", false, "", "", 0, 0},
		{"Myofascial release 2x/week for 6 weeks", false, "", "", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			h, ok := parseFaxHeader(tt.line)
			if ok != tt.ok {
				t.Fatalf("header = %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			if h.SenderNumber != tt.number {
				t.Errorf("number %q, want %q", h.SenderNumber, tt.number)
			}
			if tt.name != "" && h.SenderName != tt.name {
				t.Errorf("name %q, want %q", h.SenderName, tt.name)
			}
			if tt.page != 0 && (h.Page != tt.page || (tt.of != 0 && h.Of != tt.of)) {
				t.Errorf("page %d/%d, want %d/%d", h.Page, h.Of, tt.page, tt.of)
			}
		})
	}
}

func TestIsCoverSheet(t *testing.T) {
	tests := []struct {
		name string
		text string
		want bool
	}{
		{"cover", "FAX\nTo: Bayside Medical Massage\nFrom: Gulf Coast Family Medicine\nDate: 11/20/2026\nPages: 2 (including cover)\nCONFIDENTIALITY NOTICE: This facsimile contains protected health information intended only for the recipient.", true},
		{"cover sheet title", "Fax Cover Sheet\nTo: Front desk\nFrom: Dr. Patel\nRe: referral", true},
		{"prescription", "Gulf Coast Family Medicine\nFax: 941-555-0144\nRx: Myofascial release 97140\nDx: M54.50 Low back pain\n4 units, 2x/week for 6 weeks", false},
		{"referral form with fax field", "REFERRAL FORM\nTo: Bayside Medical Massage\nFrom: Dr. Patel\nFax: 9415550144\nTreatment ordered: neuromuscular therapy\nDiagnosis (ICD-10): M54.2 Cervicalgia", false},
		{"letter", "Dear colleague,\nI am referring my patient for neuromuscular therapy to the neck.", false},
		// The title in a display face came out of OCR as noise; the recipient
		// is a massage practice and the remark names the order.
		{"cover with garbled title", "Naples Neurology Group\n6101 Pine Ridge Rd, Naples, FL 34119\n= W c: qc) Jax _~ i eure\nTo: Lakewood Ranch Medical Massage From: Naples Neurology Group\nFax: 941.555.0177 Fax: 239.555.0172\nPhone: ; Phone: 239.555.0184\nDate: 11/02/2026 Pages: 2\nRe: Prescription CC:\nLC) Urgent () For Review (Please Comment CO Please Reply\nComments: Please find the attached order for massage therapy.\nCONFIDENTIALITY NOTICE\nThis information is intended only for the use of the individual or entity named above.", true},
		{"cover with boxes, no notice", "ZH. A ( 1\nTo: Suncoast Therapeutic Massage From: Jennifer Kaplan MD\nFax: (941) 555-0168 Fax: (941) 555-0193\nDate: 10/16/2026 Pages: 2 (including cover)\nRe: Massage referral\nUrgent For Review Please Comment Please Reply", true},
		{"order with cover fields and a notice", "To: Bayside Medical Massage\nFrom: Dr. Patel\nDate: 11/02/2026\nPlease provide myofascial release 97140, 4 units, 2x/week for 6 weeks.\nDx: M54.50 Low back pain\nCONFIDENTIALITY NOTICE: intended only for the recipient.", false},
		{"order whose remark carries the order", "To: Bayside Medical Massage\nFrom: Dr. Patel\nFax: 9415550144\nUrgent For Review Please Reply\nDiagnosis: M54.50 Low back pain\nMassage therapy 2x/week for 6 weeks", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isCoverSheet(tt.text); got != tt.want {
				t.Errorf("isCoverSheet = %v, want %v", got, tt.want)
			}
		})
	}
}

func FuzzFaxHeader(f *testing.F) {
	f.Add("NOV-20-2026 14:32  FROM: GULF COAST FAMILY MED  9415550143  P. 1/2")
	f.Add("TO: 9415550199 FROM: 9415550143 11/20/2026 10:02 P 1/1")
	f.Fuzz(func(t *testing.T, line string) {
		h, ok := parseFaxHeader(line)
		if !ok {
			return
		}
		if h.SenderNumber != "" && len(h.SenderNumber) != 10 {
			t.Fatalf("sender number %q is not 10 digits", h.SenderNumber)
		}
	})
}
