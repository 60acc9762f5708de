package org.fabtrail.discrepancy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scored party-name matching for export-control screening, in the spirit of the US Consolidated Screening List's
 * fuzzy name search: names are normalised ({@link RestrictedList#normalise}: case, accents, punctuation, legal-form
 * words), abbreviations expanded and common transliteration variants folded, then compared as sets of words. Words
 * match when equal after folding, when one is the other with one letter changed (two for long words), when two
 * adjacent words are written as one exactly ("Hua Wei" / "Huawei"), or when one is the initials of several of the other's
 * ("RLE" / "Red Lantern Electronics"). Generic words (trading, technology, Hong Kong, ...) weigh less than
 * distinctive ones. The score (0 to 1) is the mean of the weighted Dice overlap of the two word sets and the share of
 * the listed name's weight the candidate covers, so extra words in the candidate (a city, "Group") cost little while a
 * listed name's distinctive word missing from the candidate costs a lot. Pure.
 */
public final class NameMatcher {

    private NameMatcher() {
    }

    /** Abbreviations written out before comparing. */
    static final Map<String, String> ABBREVIATIONS = Map.ofEntries(
            Map.entry("intl", "international"), Map.entry("int", "international"), Map.entry("tech", "technology"),
            Map.entry("techn", "technology"), Map.entry("technologies", "technology"), Map.entry("elec", "electronics"),
            Map.entry("electronic", "electronics"), Map.entry("mfg", "manufacturing"), Map.entry("ind", "industries"),
            Map.entry("inds", "industries"), Map.entry("industry", "industries"), Map.entry("industrial", "industries"),
            Map.entry("grp", "group"), Map.entry("hldgs", "holdings"), Map.entry("hldg", "holdings"),
            Map.entry("holding", "holdings"), Map.entry("dev", "development"), Map.entry("sci", "science"),
            Map.entry("sys", "systems"), Map.entry("system", "systems"), Map.entry("svcs", "services"),
            Map.entry("service", "services"), Map.entry("trade", "trading"), Map.entry("trd", "trading"),
            Map.entry("logistic", "logistics"), Map.entry("semi", "semiconductor"),
            Map.entry("semiconductors", "semiconductor"), Map.entry("comp", "computing"), Map.entry("ent", "enterprise"),
            Map.entry("enterprises", "enterprise"), Map.entry("mgmt", "management"), Map.entry("natl", "national"),
            Map.entry("hk", "hong kong"), Map.entry("uae", "united arab emirates"), Map.entry("st", "saint"),
            Map.entry("mt", "mount"), Map.entry("bros", "brothers"), Map.entry("and", ""), Map.entry("of", ""),
            Map.entry("und", ""), Map.entry("et", ""));

    /** Words too common in company names to identify one: they count for less. */
    static final Set<String> GENERIC = Set.of("trading", "technology", "electronics", "international", "industries",
            "group", "holdings", "global", "development", "science", "systems", "services", "logistics", "import",
            "export", "supply", "semiconductor", "computing", "computer", "enterprise", "management", "national",
            "manufacturing", "hong", "kong", "china", "shenzhen", "shanghai", "beijing", "dubai", "singapore",
            "moscow", "asia", "pacific", "east", "west", "north", "south", "new", "general", "united", "digital",
            "solutions", "network", "networks", "commercial", "investment", "engineering", "equipment", "materials",
            "components", "devices", "data", "cloud", "compute", "partners", "brothers", "branch", "office",
            "company", "firm", "research", "institute", "center", "centre", "arab", "emirates", "free", "zone",
            "information", "advanced", "micro", "hangzhou", "tianjin", "nanjing", "wuhan", "chengdu", "guangzhou",
            "dalian", "xian", "hefei", "suzhou", "dongguan", "xiamen", "qingdao", "harbin", "shenyang", "chongqing",
            "jinan", "zhuhai", "macau", "taipei", "hsinchu", "seoul", "tehran", "minsk", "istanbul", "almaty",
            "tashkent", "yerevan", "kuala", "lumpur", "penang", "petersburg", "novosibirsk");

    static final double GENERIC_WEIGHT = 0.3;

    /** Legal-form words written out (and in transliteration) beyond {@link RestrictedList#LEGAL_FORMS}. */
    static final Set<String> LEGAL_WORDS = Set.of("private", "public", "joint", "stock", "liability", "closed",
            "open", "type", "partnership", "societe", "anonyme", "gesellschaft", "mit", "beschrankter", "haftung",
            "sociedad", "anonima", "obshchestvo", "ogranichennoy", "otvetstvennostyu", "aktsionernoe", "zakrytoe",
            "otkrytoe", "ao", "pao", "tov", "fz", "fzllc", "llc", "ltda", "sl", "sro", "spzoo", "pvt", "bhd");

    /** The words of a name: normalised, abbreviations written out, transliteration variants folded. */
    static List<String> words(String name) {
        List<String> raw = new ArrayList<>();
        StringBuilder letters = new StringBuilder(); // "L.L.C." is one word, not three
        for (String w : RestrictedList.normalise(name).split(" ")) {
            if (w.length() == 1) {
                letters.append(w);
                continue;
            }
            if (!letters.isEmpty()) {
                raw.add(letters.toString());
                letters.setLength(0);
            }
            raw.add(w);
        }
        if (!letters.isEmpty()) {
            raw.add(letters.toString());
        }
        List<String> out = new ArrayList<>();
        for (String w : raw) {
            if (w.length() < 2 || RestrictedList.LEGAL_FORMS.contains(w) || LEGAL_WORDS.contains(w)) {
                continue;
            }
            String x = ABBREVIATIONS.getOrDefault(w, w);
            for (String part : x.split(" ")) {
                if (!part.isEmpty()) {
                    out.add(fold(part));
                }
            }
        }
        return out;
    }

    /** Folds common transliteration variants: ue/oe/ae, ph, kh, c/k, y, w, doubled letters, a final s. */
    static String fold(String w) {
        if (w.chars().anyMatch(Character::isDigit) || w.length() < 3) {
            return w;
        }
        String s = w.replace("ue", "u").replace("oe", "o").replace("ae", "a").replace("ph", "f").replace("kh", "h")
                .replace("ck", "k").replace("zh", "j").replace("ts", "z").replace("tz", "z").replace('y', 'i')
                .replace('w', 'v').replace("ou", "u").replace("ch", "\u0001").replace('c', 'k')
                .replace("\u0001", "ch");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            if (i == 0 || s.charAt(i) != s.charAt(i - 1)) {
                b.append(s.charAt(i));
            }
        }
        String r = b.toString();
        if (r.length() > 4 && r.endsWith("s") && !r.endsWith("ss")) {
            r = r.substring(0, r.length() - 1);
        }
        return r;
    }

    static double weight(String folded) {
        return GENERIC_FOLDED.contains(folded) ? GENERIC_WEIGHT : 1.0;
    }

    private static final Set<String> GENERIC_FOLDED = Set.copyOf(GENERIC.stream().map(NameMatcher::fold).toList());

    /** The score of a candidate name against a listed name (or alias), 0 to 1. */
    public static double score(String candidate, String listed) {
        return score(words(candidate), words(listed));
    }

    static double score(List<String> a, List<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return 0;
        }
        boolean[] usedA = new boolean[a.size()];
        boolean[] usedB = new boolean[b.size()];
        // exact words first, then near ones
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < a.size(); i++) {
                if (usedA[i]) {
                    continue;
                }
                for (int j = 0; j < b.size(); j++) {
                    if (!usedB[j] && (pass == 0 ? a.get(i).equals(b.get(j)) : near(a.get(i), b.get(j)))) {
                        usedA[i] = true;
                        usedB[j] = true;
                        break;
                    }
                }
            }
        }
        joined(a, usedA, b, usedB);
        joined(b, usedB, a, usedA);
        initials(a, usedA, b, usedB);
        initials(b, usedB, a, usedA);
        double wa = 0;
        double ma = 0;
        for (int i = 0; i < a.size(); i++) {
            wa += weight(a.get(i));
            ma += usedA[i] ? weight(a.get(i)) : 0;
        }
        double wb = 0;
        double mb = 0;
        for (int j = 0; j < b.size(); j++) {
            wb += weight(b.get(j));
            mb += usedB[j] ? weight(b.get(j)) : 0;
        }
        double dice = (ma + mb) / (wa + wb);
        double coverage = mb / wb;
        return (dice + coverage) / 2;
    }

    /** One letter apart (two for words of eight letters or more), for words of five letters or more. */
    static boolean near(String x, String y) {
        if (x.length() < 5 || y.length() < 5 || x.chars().anyMatch(Character::isDigit)
                || y.chars().anyMatch(Character::isDigit)) {
            return false;
        }
        int limit = Math.min(x.length(), y.length()) >= 8 ? 2 : 1;
        return Math.abs(x.length() - y.length()) <= limit && levenshtein(x, y, limit) <= limit;
    }

    /** Two adjacent unmatched words of {@code split} written as one unmatched word of {@code whole}. */
    private static double joined(List<String> split, boolean[] usedSplit, List<String> whole, boolean[] usedWhole) {
        double m = 0;
        for (int i = 0; i + 1 < split.size(); i++) {
            if (usedSplit[i] || usedSplit[i + 1]) {
                continue;
            }
            String together = fold(split.get(i) + split.get(i + 1));
            for (int j = 0; j < whole.size(); j++) {
                if (!usedWhole[j] && whole.get(j).equals(together)) {
                    usedSplit[i] = usedSplit[i + 1] = usedWhole[j] = true;
                    m += weight(split.get(i)) + weight(split.get(i + 1));
                    break;
                }
            }
        }
        return m;
    }

    /** An unmatched word of {@code short} that is the initials of two or more adjacent unmatched words of the other. */
    private static double initials(List<String> acr, boolean[] usedAcr, List<String> full, boolean[] usedFull) {
        double m = 0;
        for (int i = 0; i < acr.size(); i++) {
            String w = acr.get(i);
            if (usedAcr[i] || w.length() < 2 || w.length() > 6) {
                continue;
            }
            for (int start = 0; start + w.length() <= full.size(); start++) {
                boolean ok = true;
                for (int k = 0; k < w.length() && ok; k++) {
                    ok = !usedFull[start + k] && !full.get(start + k).isEmpty()
                            && full.get(start + k).charAt(0) == w.charAt(k);
                }
                if (ok) {
                    usedAcr[i] = true;
                    double sum = 0;
                    for (int k = 0; k < w.length(); k++) {
                        usedFull[start + k] = true;
                        sum += weight(full.get(start + k));
                    }
                    m += sum;
                    break;
                }
            }
        }
        return m;
    }

    /** Levenshtein distance, stopping early above {@code limit}. */
    static int levenshtein(String x, String y, int limit) {
        int[] prev = new int[y.length() + 1];
        int[] cur = new int[y.length() + 1];
        for (int j = 0; j <= y.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= x.length(); i++) {
            cur[0] = i;
            int best = cur[0];
            for (int j = 1; j <= y.length(); j++) {
                int cost = x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                best = Math.min(best, cur[j]);
            }
            if (best > limit) {
                return limit + 1;
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[y.length()];
    }
}
