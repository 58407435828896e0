/**
 * Certificate extensions @peculiar/x509 has no builder for, encoded as DER with asn1js: the
 * 署名用 SubjectAltName of otherNames, and a CRL distribution point given as a directory name.
 */
import * as asn1js from 'asn1js';
import * as x509 from './x509.ts';
import type { HolderIdentity } from './test-jpki-ca.ts';

/** JPKI SubjectAltName otherName type ids (1.2.392.200149.8.5.5.x). */
export const JPKI_SAN_OID = {
  NAME: '1.2.392.200149.8.5.5.1',
  NAME_SUBSTITUTION: '1.2.392.200149.8.5.5.2',
  BIRTH_DATE: '1.2.392.200149.8.5.5.3',
  SEX: '1.2.392.200149.8.5.5.4',
  ADDRESS: '1.2.392.200149.8.5.5.5',
  ADDRESS_SUBSTITUTION: '1.2.392.200149.8.5.5.6',
} as const;

const SUBJECT_ALT_NAME = '2.5.29.17';
const CRL_DISTRIBUTION_POINTS = '2.5.29.31';

function otherName(typeId: string, value: string): asn1js.Constructed {
  // GeneralName otherName [0] IMPLICIT SEQUENCE { type-id OID, value [0] EXPLICIT UTF8String }
  return new asn1js.Constructed({
    idBlock: { tagClass: 3, tagNumber: 0 },
    value: [
      new asn1js.ObjectIdentifier({ value: typeId }),
      new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 0 },
        value: [new asn1js.Utf8String({ value })],
      }),
    ],
  });
}

export function signingSubjectAltNameExtension(holder: HolderIdentity): x509.Extension {
  const san = new asn1js.Sequence({
    value: [
      otherName(JPKI_SAN_OID.NAME, holder.name),
      otherName(JPKI_SAN_OID.NAME_SUBSTITUTION, ''),
      otherName(JPKI_SAN_OID.BIRTH_DATE, holder.birthDate),
      otherName(JPKI_SAN_OID.SEX, holder.sex),
      otherName(JPKI_SAN_OID.ADDRESS, holder.address),
      otherName(JPKI_SAN_OID.ADDRESS_SUBSTITUTION, ''),
    ],
  });
  return new x509.Extension(SUBJECT_ALT_NAME, false, san.toBER());
}

/** The otherName values of a SubjectAltName extension value, by type id. */
export function readOtherNames(extensionValue: ArrayBuffer): Map<string, string> {
  const out = new Map<string, string>();
  const parsed = asn1js.fromBER(extensionValue);
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) return out;
  for (const gn of parsed.result.valueBlock.value) {
    if (gn.idBlock.tagClass !== 3 || gn.idBlock.tagNumber !== 0 || !(gn instanceof asn1js.Constructed))
      continue;
    const [oid, wrapped] = gn.valueBlock.value;
    const inner = wrapped instanceof asn1js.Constructed ? wrapped.valueBlock.value[0] : undefined;
    if (oid instanceof asn1js.ObjectIdentifier && inner instanceof asn1js.Utf8String)
      out.set(oid.valueBlock.toString(), inner.valueBlock.value);
  }
  return out;
}

/** CRLDistributionPoints with one point whose fullName is a directoryName. */
export function crlDistributionPointsExtension(directoryName: string): x509.Extension {
  const name = asn1js.fromBER(new x509.Name(directoryName).toArrayBuffer()).result;
  const dps = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [
          // distributionPoint [0] { fullName [0] IMPLICIT GeneralNames { directoryName [4] EXPLICIT Name } }
          new asn1js.Constructed({
            idBlock: { tagClass: 3, tagNumber: 0 },
            value: [
              new asn1js.Constructed({
                idBlock: { tagClass: 3, tagNumber: 0 },
                value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [name] })],
              }),
            ],
          }),
        ],
      }),
    ],
  });
  return new x509.Extension(CRL_DISTRIBUTION_POINTS, false, dps.toBER());
}

const CERTIFICATE_POLICIES = '2.5.29.32';
const QUALIFIER_CPS = '1.3.6.1.5.5.7.2.1';
const QUALIFIER_USER_NOTICE = '1.3.6.1.5.5.7.2.2';

/**
 * Certificate policies with one policy carrying a CPS pointer and a user notice, as the real
 * card's certificates do (it is also what makes a test certificate as large as a real one).
 */
export function certificatePolicyExtension(
  policyOid: string,
  qualifiers: { cpsUri: string; notice: string },
  critical: boolean,
): x509.Extension {
  const policies = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [
          new asn1js.ObjectIdentifier({ value: policyOid }),
          new asn1js.Sequence({
            value: [
              new asn1js.Sequence({
                value: [
                  new asn1js.ObjectIdentifier({ value: QUALIFIER_CPS }),
                  new asn1js.IA5String({ value: qualifiers.cpsUri }),
                ],
              }),
              new asn1js.Sequence({
                value: [
                  new asn1js.ObjectIdentifier({ value: QUALIFIER_USER_NOTICE }),
                  new asn1js.Sequence({ value: [new asn1js.Utf8String({ value: qualifiers.notice })] }),
                ],
              }),
            ],
          }),
        ],
      }),
    ],
  });
  return new x509.Extension(CERTIFICATE_POLICIES, critical, policies.toBER());
}
