package main

import (
	"context"
	"log/slog"
	"time"

	"rxintake/audit"
)

// purge is the daily retention purge (docs/operations.md): the stored
// originals and page images of cases received before retention.originals,
// then the audit trail's entries older than retention.audit, by checkpointed
// segment. Each is recorded in the trail; the checkpoint the cycle takes
// next anchors what the purge wrote. Failures are logged and the purge
// tried again at the next cycle; intake goes on.
func (a *app) purge(ctx context.Context, log *slog.Logger) {
	now := time.Now()
	before := now.Add(-a.cfg.Retention.Originals.D)
	originals, err := a.worker.PurgeOriginals(ctx, before)
	if err != nil {
		log.Error("retention purge: originals", "err", err)
		return
	}
	images, err := a.store.PurgeImages(ctx, before)
	if err != nil {
		log.Error("retention purge: page images", "err", err)
		return
	}
	if originals+images > 0 {
		if err := a.trail.RetentionPurged(ctx, audit.RetentionPurge{Before: before, Originals: originals, PageImages: images}); err != nil {
			log.Error("retention purge: not recorded in the audit trail", "err", err)
			return
		}
	}
	p, err := a.trail.Purge(ctx, now.Add(-a.cfg.Retention.Audit.D))
	if err != nil {
		log.Error("retention purge: audit trail", "err", err)
		return
	}
	log.Info("retention purge", "originals", originals, "page_images", images, "audit_entries", p.Entries)
	a.mon.Purged()
}
