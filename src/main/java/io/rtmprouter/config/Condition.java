package io.rtmprouter.config;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The `if|unless` part of a rule: alternatives separated by `||`, each a list of terms that
 * must all hold (HAProxy's implicit AND). A term names ACLs (all `acl` lines sharing a name
 * are ORed) or is an anonymous `{ ... }` ACL, optionally negated with `!`.
 */
public record Condition(boolean unless, List<List<Term>> alternatives, String text) {
    public Condition {
        alternatives = alternatives.stream().map(List::copyOf).toList();
    }

    public record Term(boolean negated, String aclName, List<AclConfig> acls) {
        public Term {
            acls = List.copyOf(acls);
        }

        boolean holds(FetchedValues values) {
            return negated != acls.stream().anyMatch(a -> a.matches(values));
        }
    }

    public boolean holds(FetchedValues values) {
        boolean any = alternatives.stream().anyMatch(all -> all.stream().allMatch(t -> t.holds(values)));
        return unless != any;
    }

    /** Every ACL the condition tests. */
    public List<AclConfig> acls() {
        List<AclConfig> out = new ArrayList<>();
        alternatives.forEach(all -> all.forEach(t -> out.addAll(t.acls())));
        return out;
    }

    public Set<Fetch> fetches() {
        Set<Fetch> out = EnumSet.noneOf(Fetch.class);
        alternatives.forEach(all -> all.forEach(t -> t.acls().forEach(a -> out.add(a.fetch()))));
        return out;
    }

    /** Named terms point at every `acl` line of that name in the section, wherever it stands. */
    Condition resolve(Map<String, List<AclConfig>> named, SourceLocation where) throws ConfigException {
        List<List<Term>> resolved = new ArrayList<>();
        for (List<Term> all : alternatives) {
            List<Term> terms = new ArrayList<>();
            for (Term t : all) {
                if (t.aclName() == null) {
                    terms.add(t);
                    continue;
                }
                List<AclConfig> acls = named.get(t.aclName());
                if (acls == null) {
                    acls = PredefinedAcls.named(t.aclName(), where);
                }
                if (acls == null) {
                    throw new ConfigException(where, "no such ACL : '" + t.aclName() + "'"
                            + Suggestions.hint(t.aclName(), named.keySet()));
                }
                terms.add(new Term(t.negated(), t.aclName(), acls));
            }
            resolved.add(terms);
        }
        return new Condition(unless, resolved, text);
    }

    @Override
    public String toString() {
        return text;
    }
}
