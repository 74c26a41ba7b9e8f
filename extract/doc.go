// Package extract turns documents into page text and reads the prescription
// they carry.
//
// It owns everything between the raw bytes of a file or message and a
// [Prescription]: sniffing the content type, walking MIME trees, splitting
// PDFs and multi-page TIFFs into pages, resampling and deskewing fax images,
// OCR with Tesseract in isolated single-threaded workers, setting aside fax
// transmit headers and cover sheets, and reading the fields of the order.
package extract
