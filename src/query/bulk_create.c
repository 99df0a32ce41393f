/* rel_bulk_create: many new rows in multi-row INSERTs inside one
 * transaction, reading back only what the database assigned or may have
 * changed. A program may hand over a million rows, so each row is visited
 * once, with its batch (while the batch is in cache): to check and stamp it,
 * choose what is read back, bind it and mark it saved. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "query/crud.h"
#include "util/datetime.h"
#include "util/error.h"

/* Bound-parameter limits: SQLite's SQLITE_MAX_VARIABLE_NUMBER (32766 since
 * 3.32) and PostgreSQL's protocol limit of 65535 parameters per statement. */
#define REL_SQLITE_MAX_PARAMS 32766
#define REL_PG_MAX_PARAMS 65535
/* Rows per bulk INSERT, within those limits: SQLite prepares about 9,000
 * instructions per row of a statement's text (as much as inserting the row),
 * so the statement for the last, shorter batch costs less when batches are
 * short, and PostgreSQL's server runs 1,000-row INSERTs faster than 16,000-row
 * ones (measured: a fifth less server time). */
#define REL_BULK_MAX_ROWS 1000

/* How a written value of an attribute is checked for whether the database
   may hand it back other than relate holds it (and so must be read back):
   DECIMAL, UUID, DATEONLY and JSON as the engine normalizes them; doubles
   SQLite does not keep (NaN, -0); dates outside the years relate reads back
   (reading them fails, as it did before); strings PostgreSQL trims to their
   declared length. A value of another kind than the type's own always is.
   Anything else reads back as written, so a bulk create need not read it. */
typedef enum {
    BACK_AS_WRITTEN,  /* a value of the type's own kind comes back as it is */
    BACK_DATE,        /* ... when in the years relate reads */
    BACK_DOUBLE,      /* ... when finite and not -0 */
    BACK_PG_STRING,   /* ... when within the declared length */
    BACK_NORMALIZED   /* may always come back different */
} read_back;

/* The first and last milliseconds of the years a DATE is read back in
   (0001-9999, rel_datetime_parse). */
#define REL_DATE_MIN_MS (-62135596800000LL)
#define REL_DATE_MAX_MS 253402300799999LL

/* How values of a are checked, and the kind a value of its type has. */
static read_back read_back_of(const rel_attr_def *a, bool pg, rel_value_kind *own)
{
    *own = REL_V_INT;
    switch (a->a.type) {
    case REL_INTEGER:
    case REL_BIGINT:
    case REL_BOOLEAN:
        return BACK_AS_WRITTEN;
    case REL_DATE:
        return BACK_DATE;
    case REL_FLOAT:
    case REL_DOUBLE:
        *own = REL_V_DOUBLE;
        return BACK_DOUBLE;
    case REL_STRING:
        *own = REL_V_TEXT;
        return pg ? BACK_PG_STRING : BACK_AS_WRITTEN;
    case REL_TEXT:
        *own = REL_V_TEXT;
        return BACK_AS_WRITTEN;
    case REL_BLOB:
        *own = REL_V_BLOB;
        return BACK_AS_WRITTEN;
    case REL_DECIMAL:
    case REL_UUID:
    case REL_DATEONLY:
    case REL_JSON:
    case REL_TYPE_NONE:
        break;
    }
    return BACK_NORMALIZED;
}

/* What a bulk create knows of one attribute, and what the current batch
   does with it. */
typedef struct bulk_attr {
    rel_type type;
    size_t max_len;     /* BACK_PG_STRING's declared length */
    unsigned char back; /* its read_back */
    unsigned char own;  /* the kind of its type's values */
    bool auto_key;      /* rel_crud_auto_key */
    bool writes;        /* written by the current run (stamped) */
    bool differs;       /* a written value may come back different: read back */
} bulk_attr;

/* One bulk create: what it knows of the model before it looks at a row,
   and its INSERTs. The statement text is written again only when the shape
   of a batch (columns written, columns read back, rows) changes, and its
   prepared statement is held from one batch to the next. */
typedef struct bulk {
    rel_db *db;
    const rel_model *m;
    bulk_attr *at;      /* per attribute of m */
    bool pg;
    int consecutive;    /* the dialect's consecutive_keys for the model's key:
                           -1 until asked, then 0 or 1 */
    int *not_null;      /* attributes rel_crud_checks_null */
    size_t nnot_null;
    uint64_t *mask;     /* which flag bits tell what a row writes, as 8-byte
                           words (mask_at) */
    size_t nmask;
    uint64_t *want;     /* the words of the current run's first row */
    rel_sql q;          /* text of the current shape; the batch's parameters */
    rel_stmt *st;       /* prepared for q's text, NULL before the first batch */
    int *cols, *ret;    /* the current shape: columns written, read back */
    rel_type *ret_types;/* the types of ret's attributes */
    size_t ncols, nret, nrows;
    bool rowid_keys;    /* the shape reads only the key, as the last rowid */
    bool key_known;     /* the last batch had rowid keys: the next row's is next_key */
    int64_t next_key;
    int *next_ret;      /* the next batch's read-back columns, being worked out */
    size_t *run_at;     /* where each run so far starts (malloc'd) ... */
    uint64_t *run_want; /* ... and its pattern (nmask words each), to undo */
    size_t nruns, cap_runs;
} bulk;

/* Whether written value v of attribute i may come back different
   (read_back). */
static inline bool may_differ(const bulk *b, size_t i, const rel_value *v)
{
    if (v->kind != (rel_value_kind)b->at[i].own)
        return v->kind != REL_V_NULL;
    if (b->at[i].back == BACK_AS_WRITTEN)
        return false; /* the common case, before the switch */
    switch ((read_back)b->at[i].back) {
    case BACK_AS_WRITTEN: return false;
    case BACK_DATE: return v->i < REL_DATE_MIN_MS || v->i > REL_DATE_MAX_MS;
    case BACK_DOUBLE: return !isfinite(v->d) || (v->d == 0.0 && signbit(v->d));
    case BACK_PG_STRING: return v->len > b->at[i].max_len;
    case BACK_NORMALIZED: break;
    }
    return true;
}

/* Rows are visited in order but each lies in its own allocation: asking
   for a row's memory this many rows ahead hides the wait for it. */
#define REL_BULK_AHEAD 12
#if defined(__GNUC__) || defined(__clang__)
#define REL_PREFETCH(p) __builtin_prefetch(p)
#else
#define REL_PREFETCH(p) ((void)(p))
#endif

/* A row's slots and flag bytes (the model's nattrs each). */
static inline rel_slot *row_slots(const rel_record *r)
{
    return rel_record_slots(r);
}

static inline unsigned char *row_flags(const bulk *b, const rel_record *r)
{
    return (unsigned char *)(rel_record_slots(r) + b->m->nattrs);
}

/* rel_crud_insert_column, from the row's flag bytes. */
static inline bool writes_attr(const bulk *b, const unsigned char *flags, size_t i)
{
    return (flags[i] & REL_SLOT_SET) &&
           !(b->at[i].auto_key && (flags[i] & REL_SLOT_KIND) == REL_V_NULL);
}

/* Where word w of a row's write pattern starts, from its first flag byte:
   whole words, then one that ends at the last flag byte (it may reach back
   into the slots, which the mask leaves out). */
static inline ptrdiff_t mask_at(size_t nattrs, size_t w)
{
    return (w + 1) * 8 <= nattrs ? (ptrdiff_t)(w * 8) : (ptrdiff_t)nattrs - 8;
}

/* The write pattern of a row: its flag bytes' SET bits (and kind, for an
   automatic key, which is not written when NULL). Rows with equal patterns
   write the same columns. */
static inline uint64_t pattern_word(const bulk *b, const unsigned char *flags, size_t w)
{
    uint64_t x;
    memcpy(&x, flags + mask_at(b->m->nattrs, w), sizeof x);
    return x & b->mask[w];
}

/* Whether row r has the write pattern of the current run's first row (so
   writes the same columns; an automatic key given as NULL and one not given
   at all differ in pattern, and only split a run). */
static bool writes_same(const bulk *b, const rel_record *r)
{
    const unsigned char *flags = row_flags(b, r);
    for (size_t w = 0; w < b->nmask; w++)
        if (pattern_word(b, flags, w) != b->want[w])
            return false;
    return true;
}

/* The current run starts at row r (not yet stamped): the pattern of the
   rows it takes. */
static void start_run(bulk *b, const rel_record *r)
{
    const unsigned char *flags = row_flags(b, r);
    for (size_t w = 0; w < b->nmask; w++)
        b->want[w] = pattern_word(b, flags, w);
}

/* Notes that a run starts at row `at`, with the pattern in b->want (what
   its rows held before the call). False when out of memory. */
static bool note_run(bulk *b, size_t at)
{
    if (b->nruns == b->cap_runs) {
        size_t cap = b->cap_runs ? 2 * b->cap_runs : 16;
        size_t *ats = realloc(b->run_at, cap * sizeof *ats);
        if (ats)
            b->run_at = ats;
        uint64_t *wants = realloc(b->run_want, cap * b->nmask * sizeof *wants);
        if (wants)
            b->run_want = wants;
        if (!ats || !wants)
            return false;
        b->cap_runs = cap;
    }
    b->run_at[b->nruns] = at;
    memcpy(b->run_want + b->nruns * b->nmask, b->want, b->nmask * sizeof *b->want);
    b->nruns++;
    return true;
}

/* Whether attribute i was held (set) by the rows of a run with pattern
   want, before the call. */
static bool held_before(const bulk *b, const uint64_t *want, size_t i)
{
    size_t nattrs = b->m->nattrs, w = (i / 8 + 1) * 8 <= nattrs ? i / 8 : b->nmask - 1;
    unsigned char bytes[8];
    memcpy(bytes, &want[w], sizeof bytes);
    return (bytes[(ptrdiff_t)i - mask_at(nattrs, w)] & REL_SLOT_SET) != 0;
}

/* Puts rows[0..touched) back as they were before a call that failed, as far
   as it can: not saved, the attributes they did not hold unset again (their
   stamps and the values read back), and the keys the database gave them
   gone (NULL again when given as NULL). An updatedAt they held keeps its
   stamp. */
static void undo_rows(const bulk *b, rel_record *const *rows, size_t touched,
                      const bool *assigned)
{
    const rel_model *m = b->m;
    for (size_t r = 0; r < b->nruns; r++) {
        const uint64_t *want = b->run_want + r * b->nmask;
        size_t to = r + 1 < b->nruns ? b->run_at[r + 1] : touched;
        for (size_t j = b->run_at[r]; j < to && j < touched; j++) {
            for (size_t i = 0; i < m->nattrs; i++)
                if (!held_before(b, want, i) || (assigned[j] && (int)i == m->pk))
                    rel_record_clear(rows[j], (int)i);
            rel_record_mark_unsaved(rows[j]);
            if (assigned[j] && held_before(b, want, (size_t)m->pk))
                rel_record_put(rows[j], m->pk, rel_null(), true);
        }
    }
}

/* Asks for the memory of rows[j + REL_BULK_AHEAD] (of rows[0..n)): its
   start, with the pointer to its shape, and its flag bytes. */
static inline void fetch_ahead(const bulk *b, rel_record *const *rows, size_t j, size_t n)
{
    if (j + REL_BULK_AHEAD < n) {
        const rel_record *r = rows[j + REL_BULK_AHEAD];
        if (r) {
            REL_PREFETCH(r);
            REL_PREFETCH(row_flags(b, r));
        }
    }
}

/* Row j checked before it is touched: same model, not saved, allowNull (of
   all but the timestamps, which its batch stamps). *assigned: whether the
   database assigns its key (to undo on failure). */
static rel_status check_row(const bulk *b, const rel_record *r, size_t j, bool *assigned,
                            rel_error *err)
{
    const rel_model *m = b->m;
    if (!r)
        return rel_err(err, REL_MISUSE, "rel_bulk_create: row %zu is NULL", j);
    if (rel_rec_model(r) != m)
        return rel_err(err, REL_INVALID, "rel_bulk_create: row %zu is a %s, not a %s", j,
                       rel_rec_model(r)->name, m->name);
    if (rel_record_stored(r))
        return rel_err(err, REL_INVALID, "rel_bulk_create: row %zu is already saved", j);
    const unsigned char *flags = row_flags(b, r);
    for (size_t k = 0; k < b->nnot_null; k++) {
        unsigned char f = flags[b->not_null[k]];
        if (!(f & REL_SLOT_SET) || (f & REL_SLOT_KIND) == REL_V_NULL)
            return rel_crud_null_violation(m, (size_t)b->not_null[k], &j, err);
    }
    *assigned = m->pk >= 0 && !writes_attr(b, flags, (size_t)m->pk);
    return REL_OK;
}

/* Binds row r's values of the columns cols at p (the record outlives the
   statement's use of them) and, with mark, marks the attributes whose
   written values may come back different (bulk_attr.differs). */
static inline void bind_row(bulk *b, const rel_record *r, const int *cols, size_t ncols,
                            bool mark, rel_value *p)
{
    const rel_slot *slots = row_slots(r);
    const unsigned char *flags = row_flags(b, r);
    for (size_t k = 0; k < ncols; k++) {
        int i = cols[k];
        rel_value v = rel_slot_value(slots[i], flags[i]);
        if (mark && !b->at[i].differs)
            b->at[i].differs = may_differ(b, (size_t)i, &v);
        /* Written field by field: storing the whole rel_value and then
           reading it back costs a stalled load per value. */
        if (rel_sql_converts(b->at[i].type))
            v = rel_sql_bound(&b->q, b->at[i].type, v);
        p->kind = v.kind;
        p->i = v.i;
        p->d = v.d;
        p->s = v.s;
        p->len = v.len;
        p++;
    }
}

/* bind_row for rows[0..n), without marking. */
static rel_status bind_rows(bulk *b, rel_record *const *rows, size_t n, rel_error *err)
{
    rel_value *p = rel_sql_bind_room(&b->q, n * b->ncols);
    if (!p)
        return rel_err_nomem(err);
    for (size_t j = 0; j < n; j++)
        bind_row(b, rows[j], b->cols, b->ncols, false, p + j * b->ncols);
    return REL_OK;
}

/* Which attributes a batch reads back (RETURNING) into b->next_ret: those
   it does not write (the automatic key; NULL or the column's default for
   the others) and those gathering marked (bulk_attr.differs). */
static size_t returned_columns(bulk *b)
{
    size_t k = 0;
    for (size_t i = 0; i < b->m->nattrs; i++)
        if (b->at[i].differs || !b->at[i].writes)
            b->next_ret[k++] = (int)i;
    return k;
}

/* The statement text for the current shape: n rows of placeholders. */
static void bulk_text(bulk *b)
{
    rel_sql_reset(&b->q);
    rel_crud_insert_head(&b->q, b->m, b->cols, b->ncols);
    int no = 0;
    for (size_t j = 0; b->ncols && j < b->nrows; j++) {
        rel_sql_raw(&b->q, j ? ", (" : "(");
        for (size_t k = 0; k < b->ncols; k++) {
            if (k)
                rel_sql_raw(&b->q, ", ");
            rel_sql_placeholder(&b->q, ++no);
        }
        rel_sql_raw(&b->q, ")");
    }
    rel_colset ret = {.idx = b->ret, .types = b->ret_types,
                      .n = b->rowid_keys ? 0 : b->nret, .nshow = b->nret};
    rel_crud_returning(&b->q, b->m, &ret);
}

/* Batches shorter than this read their keys with RETURNING: asking SQLite's
   catalog (about 80,000 instructions) costs more than RETURNING them (about
   5,000 a row). */
#define REL_ROWID_KEYS_MIN_ROWS 16

/* Whether the keys of rows read back are the consecutive rowids that end at
   the last one inserted (the dialect's consecutive_keys), so the INSERT of
   n rows needs no RETURNING: asked once per bulk create, and only when
   nothing but the automatic key is read back. */
static bool rowid_keys(bulk *b, size_t n, size_t nret)
{
    const rel_model *m = b->m;
    if (nret != 1 || m->pk < 0 || b->next_ret[0] != m->pk || !b->at[m->pk].auto_key ||
        (b->consecutive < 0 && n < REL_ROWID_KEYS_MIN_ROWS))
        return false;
    if (b->consecutive < 0)
        b->consecutive = rel_db_consecutive_keys(b->db, m->table, m->attrs[m->pk].a.field);
    return b->consecutive == 1;
}

/* Row r is now as the database holds it: stored, nothing changed (the
   caller marks it unsaved again if the transaction does not commit). */
static inline void row_saved(const bulk *b, rel_record *r)
{
    /* Byte by byte: the row's flag bytes were just written one at a time,
       and reading them back as a word would wait for those writes. */
    unsigned char *flags = row_flags(b, r);
    for (size_t i = 0; i < b->m->nattrs; i++)
        flags[i] &= (unsigned char)~REL_SLOT_CHANGED;
    flags[b->m->nattrs] |= REL_REC_STORED;
}

/* Row r, inserted, has the key `key`: stored, nothing changed. */
static inline bool row_keyed(const bulk *b, rel_record *r, int64_t key)
{
    int pk = b->m->pk;
    row_slots(r)[pk].i = key;
    row_flags(b, r)[pk] = REL_V_INT | REL_SLOT_SET;
    row_saved(b, r);
    return !(r->shape->ordered || r->shape->bigint_as_string) || rel_crud_saved_shape(r, false);
}

/* The keys of rows[0..n), inserted by st without RETURNING: consecutive,
   ending at the last rowid. Rows given their keys while they were gathered
   (predicted) keep them when those were right. */
static rel_status read_rowid_keys(bulk *b, rel_record *const *rows, size_t n, bool predicted,
                                  rel_error *err)
{
    int step = rel_stmt_next(b->st, err);
    if (step < 0)
        return (rel_status)step;
    int64_t stored = rel_stmt_changes(b->st);
    if (step != 0 || stored != (int64_t)n)
        return rel_err(err, REL_DATABASE, "the INSERT stored %lld of its %zu rows",
                       (long long)stored, n);
    int64_t first = rel_stmt_last_insert_id(b->st) - (int64_t)(n - 1);
    if (!predicted || first != b->next_key) {
        for (size_t k = 0; k < n; k++)
            if (!row_keyed(b, rows[k], first + (int64_t)k))
                return rel_err_nomem(err);
    }
    b->next_key = first + (int64_t)n;
    b->key_known = true;
    return REL_OK;
}

/* Gathers the next batch, rows[at..), into q's parameters: checks and
   stamps each row and binds it while it writes what rows[at] (checked and
   stamped by the caller) writes, at most per rows of n, marking in
   what must be read back (bulk_attr.differs). With predict, each row is also given
   the key the database will give it (rowid keys: the previous batch's last
   plus one, checked once the INSERT has run) while it is in cache. *got:
   the rows gathered, and touched when it fails. */
static rel_status gather(bulk *b, rel_record *const *rows, size_t at, size_t n, size_t per,
                         int64_t now, const int *cols, size_t ncols, bool predict,
                         bool *assigned, size_t *got, rel_error *err)
{
    size_t most = n - at < per ? n - at : per;
    *got = 0;
    rel_sql_clear_params(&b->q);
    for (size_t i = 0; i < b->m->nattrs; i++)
        b->at[i].differs = false;
    rel_value *p = rel_sql_bind_room(&b->q, most * ncols);
    if (!p)
        return rel_err_nomem(err);
    size_t k = 0;
    for (; k < most; k++) {
        size_t j = at + k;
        rel_record *r = rows[j];
        fetch_ahead(b, rows, j, n);
        if (k) {
            rel_status st = check_row(b, r, j, &assigned[j], err);
            if (st != REL_OK)
                return st;
            /* Compared before stamping: the pattern is read as words, and
               reading bytes just written as a word waits for the writes. */
            if (!writes_same(b, r))
                break;
            rel_crud_stamp_insert(r, now);
        }
        *got = k + 1;
        bind_row(b, r, cols, ncols, true, p + k * ncols);
        if (predict && !row_keyed(b, r, b->next_key + (int64_t)k))
            return rel_err_nomem(err);
    }
    rel_sql_bind_trim(&b->q, (most - k) * ncols);
    return REL_OK;
}

/* One multi-row INSERT of rows[0..n), gathered (bound) and all writing the
   columns cols; the rows are marked saved. predicted: as gather's. */
static rel_status bulk_batch(bulk *b, rel_record *const *rows, size_t n, const int *cols,
                             size_t ncols, bool predicted, rel_error *err)
{
    size_t nret = returned_columns(b);
    bool by_rowid = rowid_keys(b, n, nret);
    bool same = b->st && n == b->nrows && ncols == b->ncols && nret == b->nret &&
                by_rowid == b->rowid_keys &&
                memcmp(cols, b->cols, ncols * sizeof *cols) == 0 &&
                memcmp(b->next_ret, b->ret, nret * sizeof *b->ret) == 0;
    rel_status s;
    if (!same) {
        /* A new text: the old statement goes, and the values are bound
           again once the text is written (writing it starts afresh). */
        rel_stmt_done(b->st);
        b->st = NULL;
        memcpy(b->cols, cols, ncols * sizeof *cols);
        memcpy(b->ret, b->next_ret, nret * sizeof *b->ret);
        for (size_t k = 0; k < nret; k++)
            b->ret_types[k] = b->at[b->ret[k]].type;
        b->ncols = ncols;
        b->nret = nret;
        b->nrows = n;
        b->rowid_keys = by_rowid;
        bulk_text(b);
        s = bind_rows(b, rows, n, err);
        if (s != REL_OK)
            return s;
    }
    s = same ? rel_sql_rerun_held(b->st, &b->q, err)
             : rel_sql_run_held(b->db, &b->q, &b->st, err);
    if (s != REL_OK)
        return s;
    if (b->rowid_keys)
        return read_rowid_keys(b, rows, n, predicted, err);
    b->key_known = false;
    rel_colset ret = {.idx = b->ret, .types = b->ret_types, .n = b->nret, .nshow = b->nret};
    s = rel_crud_read_returned(b->st, rows, n, &ret, b->pg, err);
    for (size_t j = 0; j < n && s == REL_OK; j++)
        row_saved(b, rows[j]);
    return s;
}

/* The per-model parts of b, in tmp. False when out of memory. */
static bool bulk_init(bulk *b, rel_db *db, const rel_model *m, rel_arena *tmp)
{
    size_t na = m->nattrs + 1;
    *b = (bulk){.db = db, .m = m, .pg = rel_db_is_postgres(db), .consecutive = -1};
    rel_sql_init(&b->q, db->dialect);
    b->at = rel_arena_calloc(tmp, na, sizeof *b->at);
    b->not_null = rel_arena_alloc(tmp, na * sizeof *b->not_null);
    b->cols = rel_arena_alloc(tmp, na * sizeof *b->cols);
    b->ret = rel_arena_alloc(tmp, na * sizeof *b->ret);
    b->ret_types = rel_arena_alloc(tmp, na * sizeof *b->ret_types);
    b->next_ret = rel_arena_alloc(tmp, na * sizeof *b->next_ret);
    b->nmask = (m->nattrs + 7) / 8;
    b->mask = rel_arena_alloc(tmp, (b->nmask + 1) * sizeof *b->mask);
    b->want = rel_arena_alloc(tmp, (b->nmask + 1) * sizeof *b->want);
    if (!b->at || !b->not_null || !b->cols || !b->ret || !b->ret_types || !b->next_ret ||
        !b->mask || !b->want)
        return false;
    for (size_t i = 0; i < m->nattrs; i++) {
        const rel_attr_def *a = &m->attrs[i];
        rel_value_kind own;
        bulk_attr *at = &b->at[i];
        at->auto_key = rel_crud_auto_key(a);
        at->type = a->a.type;
        at->back = (unsigned char)read_back_of(a, b->pg, &own);
        at->own = (unsigned char)own;
        at->max_len = (size_t)(a->a.length > 0 ? a->a.length : 255);
        if (rel_crud_checks_null(a) && (int)i != m->created_at && (int)i != m->updated_at)
            b->not_null[b->nnot_null++] = (int)i;
    }
    for (size_t w = 0; w < b->nmask; w++) {
        unsigned char bytes[8];
        ptrdiff_t at = mask_at(m->nattrs, w);
        for (ptrdiff_t p = 0; p < 8; p++) {
            ptrdiff_t i = at + p;
            bytes[p] = i < 0 ? 0
                       : b->at[i].auto_key ? (unsigned char)(REL_SLOT_SET | REL_SLOT_KIND)
                                        : (unsigned char)REL_SLOT_SET;
        }
        memcpy(&b->mask[w], bytes, sizeof bytes);
    }
    return true;
}

rel_status rel_bulk_create(rel_db *db, rel_record *const *rows, size_t n, rel_error *err)
{
    if (n == 0)
        return REL_OK;
    if (!rows)
        return rel_err(err, REL_MISUSE, "rel_bulk_create: rows is NULL");
    rel_status st = rel_crud_check_args(db, rows[0], err);
    if (st != REL_OK)
        return st;
    const rel_model *m = rel_rec_model(rows[0]);
    const size_t max_params =
        rel_db_is_postgres(db) ? REL_PG_MAX_PARAMS : REL_SQLITE_MAX_PARAMS;
    rel_arena *tmp = rel_arena_new(0);
    if (!tmp)
        return rel_err_nomem(err);
    bulk b;
    bool ok = bulk_init(&b, db, m, tmp);
    int *cols = rel_arena_alloc(tmp, (m->nattrs + 1) * sizeof *cols);
    bool *assigned = rel_arena_calloc(tmp, n, sizeof *assigned); /* row j's key, by the database */
    if (!ok || !cols || !assigned) {
        st = rel_err_nomem(err);
        goto out;
    }
    st = rel_db_atomic_begin(db, err);
    if (st != REL_OK)
        goto out;
    /* Each row is checked as its batch is gathered (a program may give a
       million: each is visited once), stamped with one time for all; a run
       of rows that write the same columns shares a statement. A bad row
       undoes the batches before it with the transaction. */
    int64_t now = rel_now_ms();
    size_t j = 0, touched = 0;
    while (j < n && st == REL_OK) {
        st = check_row(&b, rows[j], j, &assigned[j], err);
        if (st != REL_OK)
            break;
        start_run(&b, rows[j]);
        if (!note_run(&b, j)) {
            st = rel_err_nomem(err);
            break;
        }
        rel_crud_stamp_insert(rows[j], now);
        size_t ncols = rel_crud_insert_columns(rows[j], cols);
        for (size_t i = 0; i < m->nattrs; i++)
            b.at[i].writes = false;
        for (size_t c = 0; c < ncols; c++)
            b.at[cols[c]].writes = true;
        size_t per = ncols ? max_params / ncols : 1;
        if (per > REL_BULK_MAX_ROWS)
            per = REL_BULK_MAX_ROWS;
        bool predict = b.key_known && m->pk >= 0 && b.at[m->pk].auto_key && !b.at[m->pk].writes;
        size_t k = 0;
        st = gather(&b, rows, j, n, per, now, cols, ncols, predict, assigned, &k, err);
        touched = j + (k ? k : 1);
        if (st == REL_OK)
            st = bulk_batch(&b, rows + j, k, cols, ncols, predict, err);
        j += k;
    }
    /* Released before the transaction ends, and before its parameters go. */
    rel_stmt_done(b.st);
    b.st = NULL;
    st = rel_db_atomic_end(db, st, err);
    if (st != REL_OK)
        undo_rows(&b, rows, touched, assigned); /* rolled back */
out:
    free(b.run_at);
    free(b.run_want);
    rel_sql_free(&b.q);
    rel_arena_free(tmp);
    return st;
}
