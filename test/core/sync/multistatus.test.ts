import { describe, expect, it } from 'vitest';
import { childrenOf, parseMultistatus } from '../../../electron/core/sync/multistatus';

describe('parseMultistatus', () => {
  it('reads entries whatever namespace prefix the server uses', () => {
    const apache = `<?xml version="1.0" encoding="utf-8"?>
<D:multistatus xmlns:D="DAV:" xmlns:lp1="DAV:">
<D:response><D:href>/reports/plans/</D:href><D:propstat><D:prop><lp1:resourcetype><D:collection/></lp1:resourcetype></D:prop></D:propstat></D:response>
<D:response><D:href>http://office.example/reports/plans/site%20a%26b.yaml</D:href><D:propstat><D:prop>
<lp1:resourcetype/><lp1:getcontentlength>42</lp1:getcontentlength><lp1:getlastmodified>Thu, 26 Nov 2026 08:00:00 GMT</lp1:getlastmodified>
</D:prop></D:propstat></D:response></D:multistatus>`;
    const nextcloud = `<d:multistatus xmlns:d="DAV:"><d:response><d:href>/dav/plans/p%C3%A4.yaml</d:href><d:propstat><d:prop><d:resourcetype></d:resourcetype><d:getcontentlength>7</d:getcontentlength></d:prop></d:propstat></d:response></d:multistatus>`;
    const entries = parseMultistatus(apache);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ path: '/reports/plans/', isCollection: true });
    expect(childrenOf(entries, '/reports/plans/')).toEqual([
      { path: '/reports/plans/site a&b.yaml', name: 'site a&b.yaml', isCollection: false, length: 42, lastModified: 'Thu, 26 Nov 2026 08:00:00 GMT' },
    ]);
    expect(parseMultistatus(nextcloud)).toEqual([{ path: '/dav/plans/pä.yaml', name: 'pä.yaml', isCollection: false, length: 7 }]);
  });

  it('reads XML entities in hrefs and skips garbage', () => {
    expect(parseMultistatus('<D:response><D:href>/a/b&amp;c</D:href></D:response>')[0]?.name).toBe('b&c');
    expect(parseMultistatus('not xml at all')).toEqual([]);
  });
});
