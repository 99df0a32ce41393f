/*
 * Port of the npm package `inflection` 1.13.4 (pluralize, singularize,
 * underscore) and of Sequelize 6 Utils.camelize; see inflect.h.
 *
 * inflection works with case-insensitive JavaScript regular expressions.
 * Their patterns are kept here verbatim, in inflection's order, and run by
 * the small matcher below, which knows exactly the syntax they use: literal
 * characters, [set] and [^set], (groups|with|alternatives), (?:...), ^ and $.
 * None has a quantifier, so plain backtracking over alternatives gives the
 * same matches and captures as JavaScript. Matching bytes of UTF-8 is
 * equivalent to matching UTF-16 units here: with the i flag (and no u flag)
 * JavaScript never folds a non-ASCII character onto an ASCII one.
 */
#include "schema/inflect.h"

#include "util/buf.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static char *rel_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p != NULL)
        memcpy(p, s, n);
    return p;
}

static char rel_ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static char rel_ascii_upper(char c)
{
    return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

/* ---- the regular-expression subset inflection's rules use ---- */

#define REL_RE_MAXCAP 10
#define REL_RE_UNSET SIZE_MAX

typedef struct {
    const char *s;    /* subject */
    size_t n;         /* its length */
    const char *pat;  /* whole pattern, to number groups */
    size_t cap[REL_RE_MAXCAP][2];
} rel_re;

/* What to do once the innermost open group has matched. */
typedef struct rel_re_frame {
    const char *resume;   /* pattern just after the group's ')' */
    int group;            /* capture number, 0 for (?:...) */
    size_t start;         /* subject offset where the group began */
    const struct rel_re_frame *up;
} rel_re_frame;

/* p points at '['; returns the pointer to its closing ']'. */
static const char *rel_re_class_end(const char *p)
{
    p++;
    if (*p == '^')
        p++;
    while (*p != ']' && *p != '\0')
        p++;
    return p;
}

static bool rel_re_class_has(const char *p, char c)
{
    bool negate = false;
    bool found = false;
    p++;
    if (*p == '^') {
        negate = true;
        p++;
    }
    for (; *p != ']' && *p != '\0'; p++)
        if (rel_ascii_lower(*p) == rel_ascii_lower(c))
            found = true;
    return found != negate;
}

/* From the start of an alternative, the '|' or ')' that ends it. */
static const char *rel_re_alt_end(const char *p)
{
    int depth = 0;
    for (; *p != '\0'; p++) {
        if (*p == '[')
            p = rel_re_class_end(p);
        else if (*p == '(')
            depth++;
        else if (*p == ')' && depth-- == 0)
            return p;
        else if (*p == '|' && depth == 0)
            return p;
    }
    return p;
}

/* Capture number of the group opened at p: capturing '(' up to and incl. p. */
static int rel_re_group_no(const char *pat, const char *p)
{
    int n = 0;
    for (const char *q = pat; q <= p; q++) {
        if (*q == '[')
            q = rel_re_class_end(q);
        else if (*q == '(' && !(q[1] == '?' && q[2] == ':'))
            n++;
    }
    return n;
}

/*
 * Matches pattern p against the subject from offset i; on success *end is
 * where the match ends. Leaves the captures as found on failure.
 */
static bool rel_re_here(rel_re *re, const char *p, size_t i,
                        const rel_re_frame *fr, size_t *end)
{
    for (;;) {
        char c = *p;
        if (c == '\0') {
            *end = i;
            return fr == NULL;
        }
        if (c == '|' || c == ')') {
            /* this alternative is done: close the group and go on after it */
            size_t saved[2] = { 0, 0 };
            if (fr == NULL)
                return false;
            if (fr->group > 0 && fr->group < REL_RE_MAXCAP) {
                saved[0] = re->cap[fr->group][0];
                saved[1] = re->cap[fr->group][1];
                re->cap[fr->group][0] = fr->start;
                re->cap[fr->group][1] = i;
            }
            if (rel_re_here(re, fr->resume, i, fr->up, end))
                return true;
            if (fr->group > 0 && fr->group < REL_RE_MAXCAP) {
                re->cap[fr->group][0] = saved[0];
                re->cap[fr->group][1] = saved[1];
            }
            return false;
        }
        if (c == '(') {
            rel_re_frame f = { NULL, 0, i, fr };
            const char *alt = p + 1;
            const char *close = alt;
            if (alt[0] == '?' && alt[1] == ':')
                alt += 2;
            else
                f.group = rel_re_group_no(re->pat, p);
            /* skip the alternatives to find where the group resumes */
            for (close = rel_re_alt_end(alt); *close == '|';)
                close = rel_re_alt_end(close + 1);
            if (*close != ')')
                return false;
            f.resume = close + 1;
            for (;;) {
                const char *alt_end = rel_re_alt_end(alt);
                if (rel_re_here(re, alt, i, &f, end))
                    return true;
                if (*alt_end != '|')
                    return false;
                alt = alt_end + 1;
            }
        }
        if (c == '^' || c == '$') {
            if (i != (c == '^' ? 0 : re->n))
                return false;
            p++;
            continue;
        }
        if (i >= re->n)
            return false;
        if (c == '[') {
            if (!rel_re_class_has(p, re->s[i]))
                return false;
            p = rel_re_class_end(p) + 1;
        } else {
            if (rel_ascii_lower(c) != rel_ascii_lower(re->s[i]))
                return false;
            p++;
        }
        i++;
    }
}

/* Leftmost match starting at or after from, as RegExp.exec finds it. */
static bool rel_re_search(rel_re *re, size_t from, size_t *start, size_t *end)
{
    for (size_t i = from; i <= re->n; i++) {
        for (int g = 0; g < REL_RE_MAXCAP; g++)
            re->cap[g][0] = re->cap[g][1] = REL_RE_UNSET;
        if (rel_re_here(re, re->pat, i, NULL, end)) {
            *start = i;
            return true;
        }
    }
    return false;
}

static void rel_re_init(rel_re *re, const char *pat, const char *s)
{
    re->s = s;
    re->n = strlen(s);
    re->pat = pat;
}

static bool rel_re_test(const char *pat, const char *s)
{
    rel_re re;
    size_t start, end;
    rel_re_init(&re, pat, s);
    return rel_re_search(&re, 0, &start, &end);
}

/* Appends a replacement, expanding $1..$9 (an unset group expands to ""). */
static void rel_re_expand(rel_re *re, const char *rep, rel_buf *out)
{
    for (const char *r = rep; *r != '\0'; r++) {
        if (r[0] == '$' && r[1] >= '1' && r[1] <= '9') {
            int g = r[1] - '0';
            if (re->cap[g][0] != REL_RE_UNSET)
                rel_buf_put(out, re->s + re->cap[g][0],
                            re->cap[g][1] - re->cap[g][0]);
            r++;
        } else {
            rel_buf_putc(out, *r);
        }
    }
}

/* String.prototype.replace with a global (g) pattern. */
static char *rel_re_replace(const char *pat, const char *s, const char *rep)
{
    rel_re re;
    rel_buf out = { 0 };
    size_t copied = 0, from = 0, start, end;
    rel_re_init(&re, pat, s);
    while (from <= re.n && rel_re_search(&re, from, &start, &end)) {
        rel_buf_put(&out, s + copied, start - copied);
        rel_re_expand(&re, rep, &out);
        copied = end;
        from = end == start ? end + 1 : end;
    }
    rel_buf_put(&out, s + copied, re.n - copied);
    return rel_buf_take(&out);
}

/* ---- inflection's word lists and rules, verbatim and in its order ---- */

/* Nouns with one form for singular and plural (uncountable_words). */
static const char *const rel_uncountables[] = {
    "accommodation", "adulthood", "advertising", "advice", "aggression",
    "aid", "air", "aircraft", "alcohol", "anger", "applause", "arithmetic",
    "assistance", "athletics", "bacon", "baggage", "beef", "biology", "blood",
    "botany", "bread", "butter", "carbon", "cardboard", "cash", "chalk",
    "chaos", "chess", "crossroads", "countryside", "dancing", "deer",
    "dignity", "dirt", "dust", "economics", "education", "electricity",
    "engineering", "enjoyment", "envy", "equipment", "ethics", "evidence",
    "evolution", "fame", "fiction", "flour", "flu", "food", "fuel", "fun",
    "furniture", "gallows", "garbage", "garlic", "genetics", "gold", "golf",
    "gossip", "gratitude", "grief", "guilt", "gymnastics", "happiness",
    "hardware", "harm", "hate", "hatred", "health", "heat", "help",
    "homework", "honesty", "honey", "hospitality", "housework", "humour",
    "hunger", "hydrogen", "ice", "importance", "inflation", "information",
    "innocence", "iron", "irony", "jam", "jewelry", "judo", "karate",
    "knowledge", "lack", "laughter", "lava", "leather", "leisure",
    "lightning", "linguine", "linguini", "linguistics", "literature",
    "litter", "livestock", "logic", "loneliness", "luck", "luggage",
    "macaroni", "machinery", "magic", "management", "mankind", "marble",
    "mathematics", "mayonnaise", "measles", "methane", "milk", "minus",
    "money", "mud", "music", "mumps", "nature", "news", "nitrogen",
    "nonsense", "nurture", "nutrition", "obedience", "obesity", "oxygen",
    "pasta", "patience", "physics", "poetry", "pollution", "poverty", "pride",
    "psychology", "publicity", "punctuation", "quartz", "racism",
    "relaxation", "reliability", "research", "respect", "revenge", "rice",
    "rubbish", "rum", "safety", "scenery", "seafood", "seaside", "series",
    "shame", "sheep", "shopping", "sleep", "smoke", "smoking", "snow", "soap",
    "software", "soil", "spaghetti", "species", "steam", "stuff", "stupidity",
    "sunshine", "symmetry", "tennis", "thirst", "thunder", "timber",
    "traffic", "transportation", "trust", "underwear", "unemployment",
    "unity", "validity", "veal", "vegetation", "vegetarianism", "vengeance",
    "violence", "vitality", "warmth", "wealth", "weather", "welfare", "wheat",
    "wildlife", "wisdom", "yoga", "zinc", "zoology",
};

/* The regular expressions of inflection's `regex` object. */
#define P_MEN "^(m|wom)en$"
#define P_PEOPLE "(pe)ople$"
#define P_CHILDREN "(child)ren$"
#define P_TIA "([ti])a$"
#define P_ANALYSES \
    "((a)naly|(b)a|(d)iagno|(p)arenthe|(p)rogno|(s)ynop|(t)he)ses$"
#define P_DATABASES "(database)s$"
#define P_DRIVES "(drive)s$"
#define P_HIVES "(hi|ti)ves$"
#define P_CURVES "(curve)s$"
#define P_LRVES "([lr])ves$"
#define P_AVES "([a])ves$"
#define P_FOVES "([^fo])ves$"
#define P_MOVIES "(m)ovies$"
#define P_AEIOUYIES "([^aeiouy]|qu)ies$"
#define P_SERIES "(s)eries$"
#define P_XES "(x|ch|ss|sh)es$"
#define P_MICE "([m|l])ice$"
#define P_BUSES "(bus)es$"
#define P_OES "(o)es$"
#define P_SHOES "(shoe)s$"
#define P_CRISES "(cris|ax|test)es$"
#define P_OCTOPUSES "(octop|vir)uses$"
#define P_ALIASES "(alias|canvas|status|campus)es$"
#define P_SUMMONSES "^(summons|bonus)es$"
#define P_OXEN "^(ox)en"
#define P_MATRICES "(matr)ices$"
#define P_VERTICES "(vert|ind)ices$"
#define P_FEET "^feet$"
#define P_TEETH "^teeth$"
#define P_GEESE "^geese$"
#define P_QUIZZES "(quiz)zes$"
#define P_WHEREASES "^(whereas)es$"
#define P_CRITERIA "^(criteri)a$"
#define P_GENERA "^genera$"
#define P_SS "ss$"
#define P_S "s$"

#define S_MAN "^(m|wom)an$"
#define S_PERSON "(pe)rson$"
#define S_CHILD "(child)$"
#define S_DRIVE "(drive)$"
#define S_OX "^(ox)$"
#define S_AXIS "(ax|test)is$"
#define S_OCTOPUS "(octop|vir)us$"
#define S_ALIAS "(alias|status|canvas|campus)$"
#define S_SUMMONS "^(summons|bonus)$"
#define S_BUS "(bu)s$"
#define S_BUFFALO "(buffal|tomat|potat)o$"
#define S_TIUM "([ti])um$"
#define S_SIS "sis$"
#define S_FFE "(?:([^f])fe|([lr])f)$"
#define S_HIVE "(hi|ti)ve$"
#define S_AEIOUYY "([^aeiouy]|qu)y$"
#define S_X "(x|ch|ss|sh)$"
#define S_MATRIX "(matr)ix$"
#define S_VERTEX "(vert|ind)ex$"
#define S_MOUSE "([m|l])ouse$"
#define S_FOOT "^foot$"
#define S_TOOTH "^tooth$"
#define S_GOOSE "^goose$"
#define S_QUIZ "(quiz)$"
#define S_WHEREAS "^(whereas)$"
#define S_CRITERION "^(criteri)on$"
#define S_GENUS "^genus$"
#define S_S "s$"
#define S_COMMON "$"

/* A rule without a replacement leaves a word that matches it as it is. */
typedef struct {
    const char *pattern;
    const char *replacement;
} rel_rule;

static const rel_rule rel_plural_rules[] = {
    /* do not replace if it is already a plural word */
    { P_MEN, NULL }, { P_PEOPLE, NULL }, { P_CHILDREN, NULL },
    { P_TIA, NULL }, { P_ANALYSES, NULL }, { P_DATABASES, NULL },
    { P_DRIVES, NULL }, { P_HIVES, NULL }, { P_CURVES, NULL },
    { P_LRVES, NULL }, { P_FOVES, NULL }, { P_AEIOUYIES, NULL },
    { P_SERIES, NULL }, { P_MOVIES, NULL }, { P_XES, NULL },
    { P_MICE, NULL }, { P_BUSES, NULL }, { P_OES, NULL },
    { P_SHOES, NULL }, { P_CRISES, NULL }, { P_OCTOPUSES, NULL },
    { P_ALIASES, NULL }, { P_SUMMONSES, NULL }, { P_OXEN, NULL },
    { P_MATRICES, NULL }, { P_FEET, NULL }, { P_TEETH, NULL },
    { P_GEESE, NULL }, { P_QUIZZES, NULL }, { P_WHEREASES, NULL },
    { P_CRITERIA, NULL }, { P_GENERA, NULL },
    /* original rules */
    { S_MAN, "$1en" }, { S_PERSON, "$1ople" }, { S_CHILD, "$1ren" },
    { S_DRIVE, "$1s" }, { S_OX, "$1en" }, { S_AXIS, "$1es" },
    { S_OCTOPUS, "$1uses" }, { S_ALIAS, "$1es" }, { S_SUMMONS, "$1es" },
    { S_BUS, "$1ses" }, { S_BUFFALO, "$1oes" }, { S_TIUM, "$1a" },
    { S_SIS, "ses" }, { S_FFE, "$1$2ves" }, { S_HIVE, "$1ves" },
    { S_AEIOUYY, "$1ies" }, { S_MATRIX, "$1ices" }, { S_VERTEX, "$1ices" },
    { S_X, "$1es" }, { S_MOUSE, "$1ice" }, { S_FOOT, "feet" },
    { S_TOOTH, "teeth" }, { S_GOOSE, "geese" }, { S_QUIZ, "$1zes" },
    { S_WHEREAS, "$1es" }, { S_CRITERION, "$1a" }, { S_GENUS, "genera" },
    { S_S, "s" }, { S_COMMON, "s" },
};

static const rel_rule rel_singular_rules[] = {
    /* do not replace if it is already a singular word */
    { S_MAN, NULL }, { S_PERSON, NULL }, { S_CHILD, NULL },
    { S_DRIVE, NULL }, { S_OX, NULL }, { S_AXIS, NULL },
    { S_OCTOPUS, NULL }, { S_ALIAS, NULL }, { S_SUMMONS, NULL },
    { S_BUS, NULL }, { S_BUFFALO, NULL }, { S_TIUM, NULL },
    { S_SIS, NULL }, { S_FFE, NULL }, { S_HIVE, NULL },
    { S_AEIOUYY, NULL }, { S_X, NULL }, { S_MATRIX, NULL },
    { S_MOUSE, NULL }, { S_FOOT, NULL }, { S_TOOTH, NULL },
    { S_GOOSE, NULL }, { S_QUIZ, NULL }, { S_WHEREAS, NULL },
    { S_CRITERION, NULL }, { S_GENUS, NULL },
    /* original rules */
    { P_MEN, "$1an" }, { P_PEOPLE, "$1rson" }, { P_CHILDREN, "$1" },
    { P_DATABASES, "$1" }, { P_DRIVES, "$1" }, { P_GENERA, "genus" },
    { P_CRITERIA, "$1on" }, { P_TIA, "$1um" }, { P_ANALYSES, "$1$2sis" },
    { P_HIVES, "$1ve" }, { P_CURVES, "$1" }, { P_LRVES, "$1f" },
    { P_AVES, "$1ve" }, { P_FOVES, "$1fe" }, { P_MOVIES, "$1ovie" },
    { P_AEIOUYIES, "$1y" }, { P_SERIES, "$1eries" }, { P_XES, "$1" },
    { P_MICE, "$1ouse" }, { P_BUSES, "$1" }, { P_OES, "$1" },
    { P_SHOES, "$1" }, { P_CRISES, "$1is" }, { P_OCTOPUSES, "$1us" },
    { P_ALIASES, "$1" }, { P_SUMMONSES, "$1" }, { P_OXEN, "$1" },
    { P_MATRICES, "$1ix" }, { P_VERTICES, "$1ex" }, { P_FEET, "foot" },
    { P_TEETH, "tooth" }, { P_GEESE, "goose" }, { P_QUIZZES, "$1" },
    { P_WHEREASES, "$1" },
    { P_SS, "ss" }, { P_S, "" },
};

/*
 * str.toLowerCase() is in the uncountable list. Of all non-ASCII characters
 * only the Kelvin sign (U+212A) lower-cases to ASCII ("k"), so mapping it and
 * ASCII letters decides membership exactly as JavaScript does.
 */
static int rel_is_uncountable(const char *word, bool *yes)
{
    rel_buf low = { 0 };
    char *s;
    *yes = false;
    for (const unsigned char *p = (const unsigned char *)word; *p; p++) {
        if (p[0] == 0xE2 && p[1] == 0x84 && p[2] == 0xAA) {
            rel_buf_putc(&low, 'k');
            p += 2;
        } else {
            rel_buf_putc(&low, rel_ascii_lower((char)*p));
        }
    }
    s = rel_buf_take(&low);
    if (s == NULL)
        return -1;
    for (size_t i = 0; i < sizeof rel_uncountables / sizeof *rel_uncountables; i++)
        if (strcmp(s, rel_uncountables[i]) == 0)
            *yes = true;
    free(s);
    return 0;
}

/* inflection's _apply_rules: the first rule that matches decides. */
static char *rel_apply_rules(const char *word, const rel_rule *rules, size_t n)
{
    bool uncountable;
    if (word == NULL)
        return NULL;
    if (rel_is_uncountable(word, &uncountable) != 0)
        return NULL;
    if (!uncountable) {
        for (size_t i = 0; i < n; i++) {
            if (!rel_re_test(rules[i].pattern, word))
                continue;
            if (rules[i].replacement != NULL)
                return rel_re_replace(rules[i].pattern, word,
                                      rules[i].replacement);
            break;
        }
    }
    return rel_strdup(word);
}

char *rel_pluralize(const char *word)
{
    return rel_apply_rules(word, rel_plural_rules,
                           sizeof rel_plural_rules / sizeof *rel_plural_rules);
}

char *rel_singularize(const char *word)
{
    return rel_apply_rules(word, rel_singular_rules,
                           sizeof rel_singular_rules / sizeof *rel_singular_rules);
}

/*
 * inflection.underscore: each "::"-separated part gets '_' before every
 * capital A-Z and loses one leading '_'; the parts are joined with '/' and
 * the whole is lower-cased.
 */
char *rel_underscore(const char *word)
{
    rel_buf out = { 0 };
    const char *p = word;
    if (word == NULL)
        return NULL;
    for (;;) {
        const char *sep = strstr(p, "::");
        const char *end = sep != NULL ? sep : p + strlen(p);
        bool first = true;
        for (const char *q = p; q < end; q++, first = false) {
            bool upper = *q >= 'A' && *q <= 'Z';
            /* "^_" only ever removes the part's very first character */
            if (first && (upper || *q == '_')) {
                if (upper)
                    rel_buf_putc(&out, rel_ascii_lower(*q));
                continue;
            }
            if (upper)
                rel_buf_putc(&out, '_');
            rel_buf_putc(&out, rel_ascii_lower(*q));
        }
        if (sep == NULL)
            break;
        rel_buf_putc(&out, '/');
        p = sep + 2;
    }
    return rel_buf_take(&out);
}

/* Length in bytes of the JavaScript white-space character (\s) at p, or 0. */
static size_t rel_js_space_len(const unsigned char *p)
{
    if (*p == ' ' || (*p >= '\t' && *p <= '\r'))
        return 1;
    if (p[0] == 0xC2 && p[1] == 0xA0)
        return 2;                                    /* U+00A0 */
    if (p[0] == 0xE1 && p[1] == 0x9A && p[2] == 0x80)
        return 3;                                    /* U+1680 */
    if (p[0] == 0xE2 && p[1] == 0x80 &&
        ((p[2] >= 0x80 && p[2] <= 0x8A) || p[2] == 0xA8 || p[2] == 0xA9 ||
         p[2] == 0xAF))
        return 3;                /* U+2000..U+200A, U+2028, U+2029, U+202F */
    if (p[0] == 0xE2 && p[1] == 0x81 && p[2] == 0x9F)
        return 3;                                    /* U+205F */
    if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
        return 3;                                    /* U+3000 */
    if (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        return 3;                                    /* U+FEFF */
    return 0;
}

/* Length of the camelize separator ([-_\s]) at p, or 0. */
static size_t rel_camel_sep_len(const unsigned char *p)
{
    return (*p == '-' || *p == '_') ? 1 : rel_js_space_len(p);
}

/*
 * Sequelize Utils.camelize:
 *   str.trim().replace(/[-_\s]+(.)?/g, (m, c) => c.toUpperCase())
 * A run of separators at the end (c undefined, a TypeError in Sequelize) is
 * dropped.
 */
char *rel_camelize(const char *word)
{
    rel_buf out = { 0 };
    const unsigned char *s = (const unsigned char *)word;
    size_t b = 0, e = 0, i, len;
    if (word == NULL)
        return NULL;
    /* trim(): [b, e) is the text from the first to the last non-space */
    while ((len = rel_js_space_len(s + b)) > 0)
        b += len;
    for (i = b; s[i] != '\0';) {
        len = rel_js_space_len(s + i);
        if (len > 0) {
            i += len;
        } else {
            i++;
            e = i;
        }
    }
    for (i = b; i < e;) {
        if (rel_camel_sep_len(s + i) == 0) {
            rel_buf_putc(&out, (char)s[i++]);
            continue;
        }
        while (i < e && (len = rel_camel_sep_len(s + i)) > 0)
            i += len;
        if (i < e)
            rel_buf_putc(&out, rel_ascii_upper((char)s[i++]));
    }
    return rel_buf_take(&out);
}

char *rel_key_join(const char *prefix, const char *key)
{
    rel_buf joined = { 0 };
    char *s, *r;
    if (prefix != NULL)
        rel_buf_put(&joined, prefix, strlen(prefix));
    rel_buf_putc(&joined, '_');
    if (key != NULL)
        rel_buf_put(&joined, key, strlen(key));
    s = rel_buf_take(&joined);
    if (s == NULL)
        return NULL;
    r = rel_camelize(s);
    free(s);
    return r;
}

char *rel_default_table_name(const char *model_name, bool underscored,
                             bool freeze_table_name)
{
    char *plural, *r;
    if (model_name == NULL)
        return NULL;
    if (freeze_table_name)
        return rel_strdup(model_name);
    plural = rel_pluralize(model_name);
    if (plural == NULL || !underscored)
        return plural;
    r = rel_underscore(plural);
    free(plural);
    return r;
}

char *rel_column_name(const char *attr, bool underscored)
{
    if (attr == NULL)
        return NULL;
    return underscored ? rel_underscore(attr) : rel_strdup(attr);
}
