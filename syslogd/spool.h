/*
 * The on-disk spool of a TLS destination: takes the messages that no
 * longer fit in its memory backlog (mqueue.h) while the destination is
 * down, and keeps that backlog across a restart or reboot.
 *
 * One file per destination, DIR/NAME.spool, mode 0600, where NAME is the
 * destination name made file-safe: every run of characters outside
 * [A-Za-z0-9._-] becomes one '_' ("@[127.0.0.1]:6514" -> "_127.0.0.1_6514"),
 * cut to SPOOL_NAME_MAX characters.  A crash during a rewrite can leave
 * NAME.spool.tmp, which the next spool_open removes.
 *
 * File format: a plain sequence of records, no file header.  Each record
 * is a 13-byte header followed by the message bytes; integers are
 * little-endian:
 *
 *	offset	size	field
 *	0	4	magic, the bytes FF 53 50 31 ("\377SP1")
 *	4	4	len, the number of message bytes (<= SPOOL_MAX_RECORD)
 *	8	1	severity, 0..7
 *	9	4	CRC-32 (IEEE 802.3, as zlib's crc32()) of the 5 bytes
 *		len and severity as stored, then of the message bytes
 *	13	len	the message
 *
 * Records are appended with one writev() each, never rewritten in place.
 * Reading consumes them logically (an offset kept in memory); once
 * everything has been read, the file is truncated to 0.  The file is
 * rewritten whole (a new file, fsync, rename) only by spool_save_front and
 * by the compaction described at spool_append.
 *
 * A damaged region (bad magic, severity or length, a length past the end
 * of the file, a CRC mismatch, a truncated last record) counts once in
 * spool_damaged; the reader then resumes at the next record magic after
 * the start of the bad record.  The CRC is not a signature: whoever can
 * write the file can make it say anything, and a message that itself
 * contains a well-formed record may be taken for one if the reader has to
 * resynchronize right before it.
 *
 * Delivery is at least once: the read offset is not saved, so after a
 * crash, or a spool_close without spool_save_front, records that had been
 * loaded are delivered again on the next start.
 *
 * One open spool per file: the caller must not open the same destination
 * twice (on reload, hand the struct over, or save and close the old one
 * before opening the new one).  Not thread-safe.
 */
#ifndef SYSLOGD_SPOOL_H
#define SYSLOGD_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mqueue.h"

#define SPOOL_HDR_LEN		13
#define SPOOL_MAX_RECORD	(1024 * 1024)	/* longest message stored */
#define SPOOL_NAME_MAX		200		/* of NAME, before ".spool" */

/* spool_append results */
#define SPOOL_OK		0
#define SPOOL_FULL		(-1)	/* max_bytes reached: message not stored */
#define SPOOL_ERROR		(-2)	/* I/O error or message too long; errno */

struct spool;

/*
 * Opens DIR/NAME.spool (see above), creating it if needed; the directory
 * must exist.  max_bytes bounds the size of the file (-1: unlimited).
 * Records already in the file (from before a restart) are kept and read
 * first.  Returns NULL on error with a message in err naming the path and
 * the errno text.
 */
struct spool *spool_open(const char *dir, const char *dest_name,
	    long long max_bytes, char *err, size_t errlen);

/*
 * Appends one message (sev 0..7; others are clamped).  Returns SPOOL_OK;
 * SPOOL_FULL when the record would take the file past max_bytes; or
 * SPOOL_ERROR with errno set (EMSGSIZE when len > SPOOL_MAX_RECORD, or the
 * error of the write, after which the file is as it was).  The caller
 * counts what it drops.  Does not fsync (see spool_sync).
 *
 * Records already read still take room until the file empties.  So that
 * a spool that is drained while it is being filled does not grow forever
 * or fill up with them, the file is compacted (rewritten without them, as
 * spool_save_front does) before an append when it would otherwise be full
 * and at least a quarter of it has been read, or when at least 1 MiB and
 * half of it has been read.  Each compaction copies at most three times
 * what was read since the previous one.
 */
int	spool_append(struct spool *s, int sev, const char *data, size_t len);

/*
 * Moves records, oldest first, into q with mq_push until q has no room
 * for the next one (mq_fits false), max records have been moved or
 * nothing unread remains; returns the number moved.  A record that does
 * not fit even in an empty q is pushed anyway (mqueue's limits then drop
 * and count it) so that it cannot stall the spool.  Damaged records are
 * skipped and counted (see above).  Stops early, leaving the record
 * unread, on a read error or when mq_push runs out of memory.  Memory
 * used: one buffer of 64 KiB, grown to at most SPOOL_HDR_LEN +
 * SPOOL_MAX_RECORD for a long record, freed when the spool empties.
 */
size_t	spool_load(struct spool *s, struct mqueue *q, size_t max);

/* Nothing unread remains. */
bool	spool_empty(const struct spool *s);
/* Bytes not read yet (records and any damage among them). */
unsigned long long spool_pending(const struct spool *s);
/* Damaged regions skipped since spool_open. */
unsigned long long spool_damaged(const struct spool *s);
/* DIR/NAME.spool, for messages. */
const char *spool_path(const struct spool *s);

/* fsync()s the file; returns 0, or -1 with errno set. */
int	spool_sync(struct spool *s);

/*
 * For exit or reload: writes q's messages (oldest first, by their mqueue
 * order) then the unread rest of the file into DIR/NAME.spool.tmp,
 * fsyncs it, renames it over the spool file and fsyncs the directory, so
 * that the next start replays the memory backlog and then the spool.
 * Records already read are dropped from the file.  max_bytes is not
 * applied (the file may exceed it by q's size).  On success q is emptied
 * (mq_clear) and the spool stays usable; returns 0.  On error returns -1
 * with errno set, and q and the spool are unchanged.
 */
int	spool_save_front(struct spool *s, struct mqueue *q);

/*
 * Closes the spool (fsyncing it if appended to since the last sync) and
 * removes the file when nothing unread remains.  It does not save any
 * memory backlog: call spool_save_front first.  NULL is ignored.
 */
void	spool_close(struct spool *s);

/* CRC-32 (IEEE) of buf, continuing from crc (start with 0). */
uint32_t spool_crc32(uint32_t crc, const void *buf, size_t len);

#endif
