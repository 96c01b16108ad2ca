package dev.execlog.server.security;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * A certificate subject in a form that compares equal however a person wrote it. openssl prints a
 * subject country first ({@code C = AU, O = Data, CN = runner}), Java and RFC 2253 name first, and
 * people type {@code cn=} or {@code 2.5.4.3=}: so the relative distinguished names are compared as a
 * multiset (order ignored, repeats counted) and attribute types case-insensitively, via the keyword
 * X500Principal gives each OID. Values compare exactly, case included: {@code CN=Runner} is not
 * {@code CN=runner}, so a CA that issues both keeps them apart.
 *
 * @param rdns each RDN as its sorted {@code TYPE=value} assertions joined by {@code +}, the list sorted
 */
record SubjectName(List<String> rdns) {

  /** Parses a subject as written in the auth file; IllegalArgumentException when it is no DN. */
  static SubjectName parse(String subject) {
    return of(new X500Principal(subject));
  }

  static SubjectName of(X500Principal subject) {
    List<String> rdns = new ArrayList<>();
    for (Rdn rdn : ldapName(subject.getName(X500Principal.RFC2253)).getRdns()) {
      rdns.add(canonical(rdn));
    }
    Collections.sort(rdns);
    return new SubjectName(List.copyOf(rdns));
  }

  private static LdapName ldapName(String rfc2253) {
    try {
      return new LdapName(rfc2253);
    } catch (InvalidNameException e) {
      throw new IllegalArgumentException("X500Principal wrote a name LdapName cannot read: " + rfc2253, e);
    }
  }

  /** A multi-valued RDN ({@code CN=a+O=b}) stays one entry, so it never equals two separate RDNs. */
  private static String canonical(Rdn rdn) {
    List<String> assertions = new ArrayList<>();
    try {
      NamingEnumeration<? extends Attribute> attributes = rdn.toAttributes().getAll();
      while (attributes.hasMore()) {
        Attribute attribute = attributes.next();
        for (int i = 0; i < attribute.size(); i++) {
          // escapeValue is exact: it writes a string value as is and a binary one (#hex) byte for byte.
          assertions.add(attribute.getID().toUpperCase(Locale.ROOT) + "=" + Rdn.escapeValue(attribute.get(i)));
        }
      }
    } catch (NamingException e) {
      throw new IllegalArgumentException("cannot read the RDN " + rdn, e);
    }
    Collections.sort(assertions);
    return String.join("+", assertions);
  }
}
