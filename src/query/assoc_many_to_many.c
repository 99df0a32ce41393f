/* belongsToMany, writing: setXs, addX(s), removeX(s), createX (Sequelize's
 * belongs-to-many.js). Only junction rows are written. add and set read
 * the given targets with their junction rows in one SELECT, then issue at
 * most one DELETE (set), one INSERT of the missing links and one UPDATE of
 * the links whose junction values differ: the same statements for one
 * target or thousands, in one transaction. An add without junction values
 * to a junction unique over its two keys writes first, one INSERT ... SELECT
 * ... ON CONFLICT DO NOTHING, and reads only when it linked nothing, with no
 * transaction or lock of its own. */
#include <stdint.h>
#include <string.h>

#include "db/sql_memo.h"
#include "query/assoc.h"
#include "query/assoc_keys.h"
#include "query/select.h"
#include "util/datetime.h"
#include "util/error.h"

#define T_ALIAS(b) ((b)->t->name)
#define J_ALIAS(b) ((b)->j->name)

/* The junction attributes `through` gives values for: its own attributes,
 * never the two keys, a generated primary key or the timestamps. */
static size_t through_attrs(const rel_btm *b, const rel_record *through, int *out)
{
    size_t n = 0;
    if (!through)
        return 0;
    for (size_t i = 0; i < b->j->nattrs; i++) {
        const rel_attr_def *a = &b->j->attrs[i];
        if (!rel_record_has(through, i) || (int)i == b->fk_i || (int)i == b->ok_i ||
            (int)i == b->j->created_at || (int)i == b->j->updated_at ||
            a->role == REL_ROLE_GENERATED_ID || (a->a.primary_key && a->a.auto_increment))
            continue;
        out[n++] = (int)i;
    }
    return n;
}

/* What the SELECT found for the given targets. */
typedef struct link_state {
    rel_keyset found;   /* given ids that exist */
    rel_keyset keep;    /* their target keys */
    rel_keyset missing; /* target keys with no junction row */
    rel_keyset differ;  /* target keys whose junction values differ */
} link_state;

/* Column i of the current row, with a message when it cannot be read. */
static rel_status read_col(const rel_btm *b, rel_stmt *s, int i, rel_type type, rel_value *v)
{
    rel_status st = rel_stmt_col(s, i, type, v);
    if (st == REL_NOMEM)
        return rel_err_nomem(b->c->err);
    if (st != REL_OK)
        return rel_err(b->c->err, st, "%s: could not read the junction rows of %s",
                       b->c->a->name, b->j->name);
    return REL_OK;
}

/* SELECT "T".id, "T".tk, "J".ok, "J".attrs... FROM target AS "T" LEFT JOIN
 * junction AS "J" ON "J".ok = "T".tk AND "J".fk = ? WHERE "T".id IN (...) */
static rel_status read_links(const rel_btm *b, const rel_assoc_ids *ids, const rel_record *through,
                             const int *ta, size_t nta, link_state *ls)
{
    rel_error *err = b->c->err;
    const rel_attr_def *idattr = &b->t->attrs[ids->attr];
    rel_sql q;
    rel_stmt *s = NULL;
    rel_sql_init(&q, b->c->db->dialect);
    rel_sql_raw(&q, "SELECT ");
    rel_sql_column(&q, T_ALIAS(b), idattr->a.field);
    rel_sql_raw(&q, ", ");
    rel_sql_column(&q, T_ALIAS(b), b->tk->a.field);
    rel_sql_raw(&q, ", ");
    rel_sql_column(&q, J_ALIAS(b), b->ok->a.field);
    for (size_t k = 0; k < nta; k++) {
        rel_sql_raw(&q, ", ");
        rel_sql_column(&q, J_ALIAS(b), b->j->attrs[ta[k]].a.field);
    }
    rel_select_from(&q, b->t, T_ALIAS(b));
    rel_sql_raw(&q, " LEFT JOIN ");
    rel_sql_ident(&q, b->j->table);
    rel_sql_raw(&q, " AS ");
    rel_sql_ident(&q, J_ALIAS(b));
    rel_sql_raw(&q, " ON ");
    rel_sql_column(&q, J_ALIAS(b), b->ok->a.field);
    rel_sql_raw(&q, " = ");
    rel_sql_column(&q, T_ALIAS(b), b->tk->a.field);
    rel_sql_raw(&q, " AND ");
    rel_sql_column(&q, J_ALIAS(b), b->fk->a.field);
    rel_sql_raw(&q, " = ");
    rel_sql_param(&q, b->fk->a.type, b->srcval);
    rel_sql_raw(&q, " WHERE ");
    rel_sql_column(&q, T_ALIAS(b), idattr->a.field);
    rel_assoc_sql_in(&q, idattr, &ids->ids);

    rel_status st = rel_sql_run(b->c->db, &q, &s, err);
    while (st == REL_OK) {
        int step = rel_stmt_next(s, err);
        if (step <= 0) {
            st = (rel_status)step;
            break;
        }
        rel_value id, tk, ok;
        if ((st = read_col(b, s, 0, idattr->a.type, &id)) != REL_OK ||
            (st = read_col(b, s, 1, b->tk->a.type, &tk)) != REL_OK ||
            (st = read_col(b, s, 2, b->ok->a.type, &ok)) != REL_OK)
            break;
        if (tk.kind == REL_V_NULL) {
            char what[320];
            rel_assoc_key_text(what, sizeof what, b->t, idattr, id);
            st = rel_err(err, REL_INVALID, "%s: %s has no %s to link by", b->c->a->name, what,
                         b->tk->a.name);
            break;
        }
        if (rel_keyset_add(&ls->found, id, NULL) != REL_OK ||
            rel_keyset_add(&ls->keep, tk, NULL) != REL_OK) {
            st = rel_err_nomem(err);
            break;
        }
        bool same = ok.kind != REL_V_NULL;
        for (size_t k = 0; k < nta && same; k++) {
            rel_value v;
            if ((st = read_col(b, s, 3 + (int)k, b->j->attrs[ta[k]].a.type, &v)) != REL_OK)
                break;
            same = rel_assoc_value_eq(v, rel_record_at(through, ta[k]));
        }
        if (st != REL_OK)
            break;
        rel_keyset *into = ok.kind == REL_V_NULL ? &ls->missing : same ? NULL : &ls->differ;
        if (into && rel_keyset_add(into, tk, NULL) != REL_OK)
            st = rel_err_nomem(err);
    }
    rel_stmt_done(s);
    rel_sql_free(&q);
    if (st != REL_OK)
        return st;
    /* Linking to a row that does not exist is refused before any write. */
    for (size_t i = 0; i < ids->ids.n; i++)
        if (rel_keyset_find(&ls->found, ids->ids.v[i]) == SIZE_MAX) {
            char what[320];
            rel_assoc_key_text(what, sizeof what, b->t, idattr, ids->ids.v[i]);
            return rel_err(err, REL_NOT_FOUND, "%s: %s not found", b->c->a->name, what);
        }
    return REL_OK;
}

/* Puts the missing links in the order their targets were given (read_links
 * finds them in the database's order); found and keep are parallel. */
static rel_status given_order(const rel_btm *b, const rel_assoc_ids *ids, rel_arena *arena,
                              link_state *ls)
{
    rel_keyset ordered;
    rel_keyset_init(&ordered, arena);
    for (size_t i = 0; i < ids->ids.n; i++) {
        size_t at = rel_keyset_find(&ls->found, ids->ids.v[i]);
        if (at == SIZE_MAX || rel_keyset_find(&ls->missing, ls->keep.v[at]) == SIZE_MAX)
            continue;
        if (rel_keyset_add(&ordered, ls->keep.v[at], NULL) != REL_OK)
            return rel_err_nomem(b->c->err);
    }
    ls->missing = ordered;
    return REL_OK;
}

/* On PostgreSQL a DELETE or UPDATE locks its rows in the order it finds
 * them, which differs between statements as rows move: two over overlapping
 * links of one source could each hold one the other waits for. These write
 * ` AND ok IN (SELECT ok FROM junction WHERE fk = ?` ... ` ORDER BY ok FOR
 * <lock>)` around the caller's condition, so that such statements lock the
 * links in one order and queue behind each other instead (the links of
 * other sources are other rows). Nothing on SQLite, one writer at a time. */
static bool lock_links_open(rel_sql *q, const rel_btm *b)
{
    if (strcmp(b->c->db->dialect->name, "postgres") != 0)
        return false;
    rel_sql_raw(q, " AND ");
    rel_sql_ident(q, b->ok->a.field);
    rel_sql_raw(q, " IN (SELECT ");
    rel_sql_ident(q, b->ok->a.field);
    rel_sql_raw(q, " FROM ");
    rel_sql_ident(q, b->j->table);
    rel_sql_raw(q, " WHERE ");
    rel_sql_ident(q, b->fk->a.field);
    rel_sql_raw(q, " = ");
    rel_sql_param(q, b->fk->a.type, b->srcval);
    return true;
}

static void lock_links_close(rel_sql *q, const rel_btm *b, const char *lock)
{
    rel_sql_raw(q, " ORDER BY ");
    rel_sql_ident(q, b->ok->a.field);
    rel_sql_raw(q, " FOR ");
    rel_sql_raw(q, lock);
    rel_sql_raw(q, ")");
}

/* DELETE FROM junction WHERE fk = ? AND NOT (ok IN keep): set's unlinking.
 * On PostgreSQL it locks every link of the source, the ones update_differing
 * then changes too, so that set takes its link locks at once, in order. */
static rel_status delete_others(const rel_btm *b, const rel_keyset *keep)
{
    rel_sql q;
    rel_sql_init(&q, b->c->db->dialect);
    rel_sql_raw(&q, "DELETE FROM ");
    rel_sql_ident(&q, b->j->table);
    rel_sql_raw(&q, " WHERE ");
    rel_sql_ident(&q, b->fk->a.field);
    rel_sql_raw(&q, " = ");
    rel_sql_param(&q, b->fk->a.type, b->srcval);
    rel_sql_raw(&q, " AND NOT (");
    rel_sql_ident(&q, b->ok->a.field);
    rel_assoc_sql_in(&q, b->ok, keep);
    rel_sql_raw(&q, ")");
    if (lock_links_open(&q, b))
        lock_links_close(&q, b, "UPDATE");
    rel_status st = rel_sql_exec(b->c->db, &q, NULL, b->c->err);
    rel_sql_free(&q);
    return st;
}

/* Whether the junction is unique over exactly (key, otherKey): a generated
 * composite primary key, or a through model's UNIQUE pair (not with
 * unique: false). Then a link inserted twice at once is a conflict the
 * INSERT can skip, and add needs neither a transaction nor the source lock. */
static bool pair_unique(const rel_btm *b)
{
    const rel_model *j = b->j;
    if (j->unique_pair[0] && j->unique_pair[1])
        return true;
    if (!j->composite_pk)
        return false;
    size_t npk = 0;
    for (size_t i = 0; i < j->nattrs; i++)
        npk += j->attrs[i].a.primary_key;
    return npk == 2 && b->fk->a.primary_key && b->ok->a.primary_key;
}

/* SELECT count(*) FROM target WHERE tk IN (keys): after an upsert linked
 * fewer rows than asked, whether the others were linked already (all the
 * targets are there) or are gone (then the guard let nothing in). */
static rel_status count_targets(const rel_btm *b, const rel_keyset *keys, int64_t *out)
{
    rel_sql q;
    rel_stmt *s = NULL;
    rel_sql_init(&q, b->c->db->dialect);
    rel_sql_raw(&q, "SELECT count(*)");
    rel_select_from(&q, b->t, NULL);
    rel_sql_raw(&q, " WHERE ");
    rel_sql_ident(&q, b->tk->a.field);
    rel_assoc_sql_in(&q, b->tk, keys);
    rel_status st = rel_sql_run(b->c->db, &q, &s, b->c->err);
    if (st == REL_OK) {
        int step = rel_stmt_next(s, b->c->err);
        rel_value v = rel_null();
        if (step < 0)
            st = (rel_status)step;
        else if (step == 1 && rel_stmt_col(s, 0, REL_BIGINT, &v) == REL_OK &&
                 v.kind == REL_V_INT)
            *out = v.i;
        else
            st = rel_err(b->c->err, REL_DATABASE, "count(*) returned no number");
    }
    rel_stmt_done(s);
    rel_sql_free(&q);
    return st;
}

/* INSERT INTO junction (fk, ok, attrs..., createdAt, updatedAt)
 * SELECT ?, "T".tk, ?... FROM target AS "T" WHERE "T".tk IN (missing):
 * the rows come from the targets themselves, so the text does not grow.
 * With a unique pair (pair_unique) it is an upsert that may run beside an
 * add holding no lock: ` AND (SELECT count(*) FROM target WHERE tk IN
 * (missing)) = n` lets all rows in or none, and ON CONFLICT skips a link
 * made meanwhile (or gives it these junction values). */
static void upsert_guard(rel_sql *q, const rel_btm *b, const rel_keyset *missing)
{
    rel_sql_raw(q, " AND (SELECT count(*)");
    rel_select_from(q, b->t, NULL);
    rel_sql_raw(q, " WHERE ");
    rel_sql_ident(q, b->tk->a.field);
    rel_assoc_sql_in(q, b->tk, missing);
    rel_sql_raw(q, ") = ");
    rel_sql_param(q, REL_BIGINT, rel_int((int64_t)missing->n));
}

static void upsert_conflict(rel_sql *q, const rel_btm *b, const int *ta, size_t nta)
{
    const rel_model *j = b->j;
    if (nta == 0) {
        rel_sql_raw(q, " ON CONFLICT DO NOTHING");
        return;
    }
    rel_sql_raw(q, " ON CONFLICT (");
    rel_sql_ident(q, b->fk->a.field);
    rel_sql_raw(q, ", ");
    rel_sql_ident(q, b->ok->a.field);
    rel_sql_raw(q, ") DO UPDATE SET ");
    for (size_t k = 0; k <= nta; k++) {
        int i = k < nta ? ta[k] : j->updated_at;
        if (i < 0)
            break;
        if (k)
            rel_sql_raw(q, ", ");
        rel_sql_ident(q, j->attrs[i].a.field);
        rel_sql_raw(q, " = excluded.");
        rel_sql_ident(q, j->attrs[i].a.field);
    }
}

static rel_status insert_missing(const rel_btm *b, const rel_keyset *missing,
                                 const rel_record *through, const int *ta, size_t nta,
                                 int64_t now)
{
    bool upsert = pair_unique(b);
    const rel_model *j = b->j;
    rel_sql q;
    rel_sql_init(&q, b->c->db->dialect);
    rel_sql_raw(&q, "INSERT INTO ");
    rel_sql_ident(&q, j->table);
    rel_sql_raw(&q, " (");
    rel_sql_ident(&q, b->fk->a.field);
    rel_sql_raw(&q, ", ");
    rel_sql_ident(&q, b->ok->a.field);
    for (size_t k = 0; k < nta; k++) {
        rel_sql_raw(&q, ", ");
        rel_sql_ident(&q, j->attrs[ta[k]].a.field);
    }
    if (j->created_at >= 0) {
        rel_sql_raw(&q, ", ");
        rel_sql_ident(&q, j->attrs[j->created_at].a.field);
    }
    if (j->updated_at >= 0) {
        rel_sql_raw(&q, ", ");
        rel_sql_ident(&q, j->attrs[j->updated_at].a.field);
    }
    rel_sql_raw(&q, ") SELECT ");
    rel_sql_param(&q, b->fk->a.type, b->srcval);
    rel_sql_raw(&q, ", ");
    rel_sql_column(&q, T_ALIAS(b), b->tk->a.field);
    for (size_t k = 0; k < nta; k++) {
        rel_sql_raw(&q, ", ");
        rel_sql_param(&q, j->attrs[ta[k]].a.type, rel_record_at(through, ta[k]));
    }
    if (j->created_at >= 0) {
        rel_sql_raw(&q, ", ");
        rel_sql_param(&q, REL_DATE, rel_int(now));
    }
    if (j->updated_at >= 0) {
        rel_sql_raw(&q, ", ");
        rel_sql_param(&q, REL_DATE, rel_int(now));
    }
    rel_select_from(&q, b->t, T_ALIAS(b));
    rel_sql_raw(&q, " WHERE ");
    rel_sql_column(&q, T_ALIAS(b), b->tk->a.field);
    rel_assoc_sql_in(&q, b->tk, missing);
    if (upsert)
        upsert_guard(&q, b, missing);
    /* In the order given, as Sequelize's bulkCreate: it shows in the ids of
     * a junction with its own serial key. */
    rel_sql_raw(&q, " ORDER BY ");
    rel_sql_array_position(&q, b->tk->a.type, missing->v, missing->n, T_ALIAS(b),
                           b->tk->a.field);
    if (upsert)
        upsert_conflict(&q, b, ta, nta);
    int64_t changes = 0;
    rel_status st = rel_sql_exec(b->c->db, &q, &changes, b->c->err);
    rel_sql_free(&q);
    /* Fewer rows: some were linked meanwhile (fine), or, when none went in,
     * maybe the guard found a target gone. */
    if (st == REL_OK && upsert && changes < (int64_t)missing->n) {
        int64_t there = (int64_t)missing->n;
        if (changes == 0)
            st = count_targets(b, missing, &there);
        if (st == REL_OK && there == (int64_t)missing->n)
            changes = there;
    }
    if (st == REL_OK && changes != (int64_t)missing->n)
        st = rel_err(b->c->err, REL_NOT_FOUND,
                     "%s: %zu of the %s rows to link are gone (linked %lld)", b->c->a->name,
                     missing->n, b->t->name, (long long)changes);
    return st;
}

/* add's common case, the lock-free one (no junction values, a unique pair),
 * in one statement with no read first:
 *   INSERT INTO junction (fk, ok, createdAt, updatedAt)
 *   SELECT ?, "T".tk, ?, ? FROM target AS "T" WHERE "T".id = ?
 *   [AND "T".tk IS NOT NULL] [AND NOT EXISTS (the link)] ON CONFLICT DO NOTHING
 * One key is bound as a scalar, so PostgreSQL can keep a generic plan of
 * the prepared statement instead of planning every call anew (it does for
 * an array parameter). Several keys are bound as one array, with an
 * all-or-none count as upsert_guard's (of target keys, so a target without
 * one lets nothing in), in the order given. NOT EXISTS keeps a link that
 * exists from reaching the INSERT, where it would spend an id of a junction
 * with its own serial key; a junction keyed by the pair spends none, and
 * ON CONFLICT skips the link unwritten. The connection remembers the text
 * per association and variant (db/sql_memo.h): later calls bind their
 * values only. *linked: a row went in, so every target is there (the
 * guard) and linked now, by this statement or before. When none did, the
 * caller reads the targets (read_links) to tell links that existed from
 * targets that do not. */
static rel_status insert_unread(const rel_btm *b, const rel_assoc_ids *ids, int64_t now,
                                bool *linked)
{
    const rel_model *j = b->j;
    const rel_attr_def *idattr = &b->t->attrs[ids->attr];
    const rel_value *id = &ids->ids.v[0];
    bool one = ids->ids.n == 1 && id->kind != REL_V_BLOB; /* blobs: the array, as reads */
    bool own_key = false; /* a serial column, which a skipped INSERT may advance */
    for (size_t i = 0; i < j->nattrs; i++)
        own_key = own_key || j->attrs[i].role == REL_ROLE_GENERATED_ID ||
                  j->attrs[i].a.auto_increment;
    /* What the text depends on besides the association and the dialect. */
    static const char site = 0;
    unsigned variant = (unsigned)one | (unsigned)(ids->attr == b->tk_i) << 1;
    const char *text = rel_sql_memo_get(b->c->db, b->c->a, &site, variant);
    rel_sql q;
    rel_sql_init(&q, b->c->db->dialect);
    if (text)
        rel_sql_use_text(&q, text);
    rel_sql_raw(&q, "INSERT INTO ");
    rel_sql_ident(&q, j->table);
    rel_sql_raw(&q, " (");
    rel_sql_ident(&q, b->fk->a.field);
    rel_sql_raw(&q, ", ");
    rel_sql_ident(&q, b->ok->a.field);
    if (j->created_at >= 0) {
        rel_sql_raw(&q, ", ");
        rel_sql_ident(&q, j->attrs[j->created_at].a.field);
    }
    if (j->updated_at >= 0) {
        rel_sql_raw(&q, ", ");
        rel_sql_ident(&q, j->attrs[j->updated_at].a.field);
    }
    rel_sql_raw(&q, ") SELECT ");
    rel_sql_param(&q, b->fk->a.type, b->srcval);
    rel_sql_raw(&q, ", ");
    rel_sql_column(&q, T_ALIAS(b), b->tk->a.field);
    if (j->created_at >= 0) {
        rel_sql_raw(&q, ", ");
        rel_sql_param(&q, REL_DATE, rel_int(now));
    }
    if (j->updated_at >= 0) {
        rel_sql_raw(&q, ", ");
        rel_sql_param(&q, REL_DATE, rel_int(now));
    }
    rel_select_from(&q, b->t, T_ALIAS(b));
    rel_sql_raw(&q, " WHERE ");
    rel_sql_column(&q, T_ALIAS(b), idattr->a.field);
    if (one) {
        rel_sql_raw(&q, " = ");
        rel_sql_param(&q, idattr->a.type, *id);
    } else {
        rel_assoc_sql_in(&q, idattr, &ids->ids);
    }
    if (ids->attr != b->tk_i) {
        rel_sql_raw(&q, " AND ");
        rel_sql_column(&q, T_ALIAS(b), b->tk->a.field);
        rel_sql_raw(&q, " IS NOT NULL");
    }
    if (own_key) {
        rel_sql_raw(&q, " AND NOT EXISTS (SELECT 1");
        rel_select_from(&q, j, J_ALIAS(b));
        rel_sql_raw(&q, " WHERE ");
        rel_sql_column(&q, J_ALIAS(b), b->fk->a.field);
        rel_sql_raw(&q, " = ");
        rel_sql_param(&q, b->fk->a.type, b->srcval);
        rel_sql_raw(&q, " AND ");
        rel_sql_column(&q, J_ALIAS(b), b->ok->a.field);
        rel_sql_raw(&q, " = ");
        rel_sql_column(&q, T_ALIAS(b), b->tk->a.field);
        rel_sql_raw(&q, ")");
    }
    if (!one) {
        rel_sql_raw(&q, " AND (SELECT count(");
        rel_sql_ident(&q, b->tk->a.field);
        rel_sql_raw(&q, ")");
        rel_select_from(&q, b->t, NULL);
        rel_sql_raw(&q, " WHERE ");
        rel_sql_ident(&q, idattr->a.field);
        rel_assoc_sql_in(&q, idattr, &ids->ids);
        rel_sql_raw(&q, ") = ");
        rel_sql_param(&q, REL_BIGINT, rel_int((int64_t)ids->ids.n));
        rel_sql_raw(&q, " ORDER BY ");
        rel_sql_array_position(&q, idattr->a.type, ids->ids.v, ids->ids.n, T_ALIAS(b),
                               idattr->a.field);
    }
    rel_sql_raw(&q, " ON CONFLICT DO NOTHING");
    if (!text && !q.oom && !q.invalid && !q.text.oom)
        rel_sql_memo_put(b->c->db, b->c->a, &site, variant, rel_sql_text(&q));
    int64_t changes = 0;
    rel_status st = rel_sql_exec(b->c->db, &q, &changes, b->c->err);
    rel_sql_free(&q);
    *linked = st == REL_OK && changes > 0;
    return st;
}

/* UPDATE junction SET attrs = ?, updatedAt = ? WHERE fk = ? AND ok IN
 * (differ): one statement, since every link gets the same values. */
static rel_status update_differing(const rel_btm *b, const rel_keyset *differ,
                                   const rel_record *through, const int *ta, size_t nta,
                                   int64_t now)
{
    const rel_model *j = b->j;
    rel_sql q;
    rel_sql_init(&q, b->c->db->dialect);
    rel_sql_raw(&q, "UPDATE ");
    rel_sql_ident(&q, j->table);
    rel_sql_raw(&q, " SET ");
    for (size_t k = 0; k < nta; k++) {
        if (k)
            rel_sql_raw(&q, ", ");
        rel_sql_ident(&q, j->attrs[ta[k]].a.field);
        rel_sql_raw(&q, " = ");
        rel_sql_param(&q, j->attrs[ta[k]].a.type, rel_record_at(through, ta[k]));
    }
    rel_assoc_sql_touch(&q, j, now);
    rel_sql_raw(&q, " WHERE ");
    rel_sql_ident(&q, b->fk->a.field);
    rel_sql_raw(&q, " = ");
    rel_sql_param(&q, b->fk->a.type, b->srcval);
    rel_sql_raw(&q, " AND ");
    rel_sql_ident(&q, b->ok->a.field);
    rel_assoc_sql_in(&q, b->ok, differ);
    if (lock_links_open(&q, b)) {
        rel_sql_raw(&q, " AND ");
        rel_sql_ident(&q, b->ok->a.field);
        rel_assoc_sql_in(&q, b->ok, differ);
        lock_links_close(&q, b, "NO KEY UPDATE");
    }
    rel_status st = rel_sql_exec(b->c->db, &q, NULL, b->c->err);
    rel_sql_free(&q);
    return st;
}

/* add (replace = false) and set (replace = true). */
static rel_status btm_link(rel_assoc_call *c, const rel_assoc_given *g, const rel_record *through,
                           bool replace)
{
    rel_btm b;
    rel_status st = rel_btm_init(&b, c);
    if (st != REL_OK)
        return st;
    if (!replace && g->n == 0)
        return REL_OK;
    rel_arena *tmp = rel_arena_new(0);
    if (!tmp)
        return rel_err_nomem(c->err);
    int *ta = rel_arena_alloc(tmp, (b.j->nattrs + 1) * sizeof *ta);
    if (!ta) {
        st = rel_err_nomem(c->err);
        goto done;
    }
    size_t nta = through_attrs(&b, through, ta);
    rel_assoc_ids ids;
    int key_attr = b.t->pk >= 0 ? b.t->pk : b.tk_i;
    st = rel_assoc_ids_of(c, tmp, g, key_attr, b.tk_i, &ids);
    if (st != REL_OK)
        goto done;
    link_state ls;
    rel_keyset_init(&ls.found, tmp);
    rel_keyset_init(&ls.keep, tmp);
    rel_keyset_init(&ls.missing, tmp);
    rel_keyset_init(&ls.differ, tmp);
    int64_t now = rel_now_ms();
    /* An add without junction values to a unique pair writes upserts
     * (insert_unread, insert_missing): each atomic by itself, safe beside
     * other writers, so it needs no lock, and no transaction unless the
     * caller has one (then a savepoint, so that its failure undoes only
     * this add). */
    bool lockless = !replace && nta == 0 && pair_unique(&b);
    bool atomic = !lockless || c->db->tx_depth > 0;

    if (atomic && (st = rel_db_atomic_begin(c->db, c->err)) != REL_OK)
        goto done;
    /* Two writers of one source's links at once (two adds, or a set and an
     * add) would each read the links, then write: one could fail on the
     * junction's unique key, or a set could leave links another just made. */
    if (!lockless)
        st = rel_assoc_lock_source(c, b.fk->a.type, b.srcval);
    /* Lock-free: write first; read only when no new link went in. */
    bool linked = false;
    if (st == REL_OK && lockless && ids.ids.n)
        st = insert_unread(&b, &ids, now, &linked);
    if (st == REL_OK && ids.ids.n && !linked)
        st = read_links(&b, &ids, through, ta, nta, &ls);
    if (st == REL_OK && ls.missing.n)
        st = given_order(&b, &ids, tmp, &ls);
    if (st == REL_OK && replace)
        st = delete_others(&b, &ls.keep);
    if (st == REL_OK && ls.missing.n)
        st = insert_missing(&b, &ls.missing, through, ta, nta, now);
    if (st == REL_OK && ls.differ.n && nta)
        st = update_differing(&b, &ls.differ, through, ta, nta, now);
    if (atomic)
        st = rel_db_atomic_end(c->db, st, c->err);
done:
    rel_arena_free(tmp);
    return st;
}

rel_status rel_btm_add(rel_assoc_call *c, const rel_assoc_given *g, const rel_record *through)
{
    return btm_link(c, g, through, false);
}

rel_status rel_btm_set(rel_assoc_call *c, const rel_assoc_given *g, const rel_record *through)
{
    return btm_link(c, g, through, true);
}

/* ` IN (...)`: the target keys of ids, given by target key or, for
 * primary-key values, through the targets' keys. */
static void removed_keys(rel_sql *q, const rel_btm *b, const rel_assoc_ids *ids)
{
    const rel_attr_def *idattr = &b->t->attrs[ids->attr];
    if (ids->attr == b->tk_i) {
        rel_assoc_sql_in(q, idattr, &ids->ids);
        return;
    }
    rel_sql_raw(q, " IN (SELECT ");
    rel_sql_column(q, T_ALIAS(b), b->tk->a.field);
    rel_select_from(q, b->t, T_ALIAS(b));
    rel_sql_raw(q, " WHERE ");
    rel_sql_column(q, T_ALIAS(b), idattr->a.field);
    rel_assoc_sql_in(q, idattr, &ids->ids);
    rel_sql_raw(q, ")");
}

/* DELETE FROM junction WHERE fk = ? AND ok IN (...): one statement. */
rel_status rel_btm_remove(rel_assoc_call *c, const rel_assoc_given *g)
{
    rel_btm b;
    rel_status st = rel_btm_init(&b, c);
    if (st != REL_OK || g->n == 0)
        return st;
    rel_arena *tmp = rel_arena_new(0);
    if (!tmp)
        return rel_err_nomem(c->err);
    rel_assoc_ids ids;
    int key_attr = b.t->pk >= 0 ? b.t->pk : b.tk_i;
    st = rel_assoc_ids_of(c, tmp, g, key_attr, b.tk_i, &ids);
    if (st == REL_OK) {
        rel_sql q;
        rel_sql_init(&q, c->db->dialect);
        rel_sql_raw(&q, "DELETE FROM ");
        rel_sql_ident(&q, b.j->table);
        rel_sql_raw(&q, " WHERE ");
        rel_sql_ident(&q, b.fk->a.field);
        rel_sql_raw(&q, " = ");
        rel_sql_param(&q, b.fk->a.type, b.srcval);
        rel_sql_raw(&q, " AND ");
        rel_sql_ident(&q, b.ok->a.field);
        removed_keys(&q, &b, &ids);
        if (lock_links_open(&q, &b)) {
            rel_sql_raw(&q, " AND ");
            rel_sql_ident(&q, b.ok->a.field);
            removed_keys(&q, &b, &ids);
            lock_links_close(&q, &b, "UPDATE");
        }
        st = rel_sql_exec(c->db, &q, NULL, c->err);
        rel_sql_free(&q);
    }
    rel_arena_free(tmp);
    return st;
}

/* add with junction attributes, as rel_assoc_save_and_link calls it. */
static rel_status btm_add_through(rel_assoc_call *c, const rel_assoc_given *g, const void *through)
{
    return btm_link(c, g, through, false);
}

rel_status rel_btm_create(rel_assoc_call *c, rel_record *target, const rel_record *through)
{
    if (rel_record_stored(target))
        return rel_err(c->err, REL_INVALID,
                       "%s: create takes a new %s row; this one is saved already (use add to "
                       "link it)",
                       c->a->name, rel_rec_model(target)->name);
    rel_btm b;
    rel_status st = rel_btm_init(&b, c); /* the source must be saved: check first */
    if (st != REL_OK)
        return st;
    return rel_assoc_save_and_link(c, target, false, btm_add_through, through);
}
