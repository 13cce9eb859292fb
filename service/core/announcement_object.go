package core

import "github.com/commonsd/commonsd/models"

// AnnouncementObject is a coalition announcement (issue 12) as a Note by its
// organization: Content is the announcement in words (title, what, for whom,
// price or pay, deadline or time, link, the communities addressed), as the
// economy renders it for our own timelines too; the converter adds the
// FEP-0837 Proposal fields and our terms.
type AnnouncementObject struct {
	Announcement *models.Announcement
	Author       *models.Actor
	Communities  []*models.Actor // the addressed communities known here
	Content      string
}

func (a AnnouncementObject) ObjectID() string { return a.Announcement.URI }
