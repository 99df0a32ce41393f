/* Transactions: the outermost begin is BEGIN, deeper ones are savepoints
 * named rel_sp_<level>. A commit or rollback always closes exactly the level
 * its begin opened.
 *
 * Both engines follow PostgreSQL's rule: once a statement fails inside a
 * transaction, nothing more runs in the innermost level until it is rolled
 * back; committing it rolls it back and reports the failure. A commit that
 * the engine refuses also rolls its level back, so a level never outlives
 * its commit or rollback. */
#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "util/error.h"

static void savepoint_sql(char *out, size_t cap, const char *verb, int level)
{
    snprintf(out, cap, "%s rel_sp_%d", verb, level);
}

rel_status rel_begin(rel_db *db, rel_error *err)
{
    if (!db)
        return rel_err(err, REL_MISUSE, "rel_begin needs a connection");
    if (db->tx_aborted)
        return rel_db_refuse_aborted(err);
    char sql[48];
    if (db->tx_depth == 0)
        snprintf(sql, sizeof sql, "BEGIN");
    else
        savepoint_sql(sql, sizeof sql, "SAVEPOINT", db->tx_depth);
    rel_status st = rel_db_tx_control(db, sql, err);
    if (st == REL_OK)
        db->tx_depth++;
    return st;
}

/* Undoes the innermost level and closes it, whatever happens. */
static rel_status rollback_level(rel_db *db, rel_error *err)
{
    char sql[64];
    rel_status st;
    db->tx_aborted = false;
    if (db->tx_depth == 1) {
        db->tx_depth = 0;
        /* The engine may have ended it already (SQLite does after some
           errors): then there is nothing left to undo. */
        if (!db->broken && db->dialect->tx_state(db->conn) == REL_TX_NONE)
            return REL_OK;
        return rel_db_tx_control(db, "ROLLBACK", err);
    }
    int level = db->tx_depth - 1;
    db->tx_depth--;
    savepoint_sql(sql, sizeof sql, "ROLLBACK TO SAVEPOINT", level);
    st = rel_db_tx_control(db, sql, err);
    if (st == REL_OK) {
        savepoint_sql(sql, sizeof sql, "RELEASE SAVEPOINT", level);
        st = rel_db_tx_control(db, sql, err);
    }
    if (st != REL_OK && !db->broken)
        db->tx_aborted = true; /* the outer level is in an unknown state */
    return st;
}

rel_status rel_rollback(rel_db *db, rel_error *err)
{
    if (!db)
        return rel_err(err, REL_MISUSE, "rel_rollback needs a connection");
    if (db->tx_depth == 0)
        return rel_err(err, REL_MISUSE, "rel_rollback without a matching rel_begin");
    return rollback_level(db, err);
}

rel_status rel_commit(rel_db *db, rel_error *err)
{
    if (!db)
        return rel_err(err, REL_MISUSE, "rel_commit needs a connection");
    if (db->tx_depth == 0)
        return rel_err(err, REL_MISUSE, "rel_commit without a matching rel_begin");
    rel_error ignored;
    rel_db_check_broken(db, db->dialect->broken(db->conn) ? REL_CONNECTION : REL_OK);
    if (!db->broken) {
        rel_tx_state ts = db->dialect->tx_state(db->conn);
        if (db->tx_aborted || ts == REL_TX_ABORTED) {
            rollback_level(db, &ignored);
            return rel_err(err, REL_DATABASE,
                           "cannot commit: a statement in this transaction failed; it has "
                           "been rolled back");
        }
        if (ts == REL_TX_NONE) {
            db->tx_depth = 0;
            return rel_err(err, REL_DATABASE,
                           "cannot commit: the database already rolled this transaction "
                           "back after an error");
        }
    }
    rel_status st;
    if (db->tx_depth == 1) {
        st = rel_db_tx_control(db, "COMMIT", err);
        db->tx_depth = 0;
        db->tx_aborted = false;
        /* SQLite keeps the transaction open when COMMIT fails (busy,
           deferred foreign keys); close it so both engines end alike. */
        if (st != REL_OK && !db->broken && db->dialect->tx_state(db->conn) != REL_TX_NONE)
            rel_db_tx_control(db, "ROLLBACK", &ignored);
        return st;
    }
    char sql[64];
    savepoint_sql(sql, sizeof sql, "RELEASE SAVEPOINT", db->tx_depth - 1);
    st = rel_db_tx_control(db, sql, err);
    if (st == REL_OK)
        db->tx_depth--;
    else
        rollback_level(db, &ignored);
    return st;
}

rel_status rel_db_atomic_begin(rel_db *db, rel_error *err)
{
    /* Every atomic operation writes. On SQLite a plain (deferred) BEGIN takes
       the write lock only at the first write, and when another connection
       wrote since this one's first read, SQLite fails at once with
       SQLITE_BUSY without waiting (WAL snapshots; the busy timeout is not
       used). Taking the write lock first waits for it instead. */
    if (db && db->tx_depth == 0 && !db->tx_aborted && strcmp(db->dialect->name, "sqlite") == 0) {
        rel_status st = rel_db_tx_control(db, "BEGIN IMMEDIATE", err);
        if (st == REL_OK)
            db->tx_depth++;
        return st;
    }
    return rel_begin(db, err);
}

rel_status rel_db_atomic_end(rel_db *db, rel_status st, rel_error *err)
{
    if (st == REL_OK)
        return rel_commit(db, err);
    rel_error ignored; /* keep the caller's error, not the rollback's */
    if (db && db->tx_depth > 0)
        rel_rollback(db, &ignored);
    return st;
}
