/**
 * Log-line parsers: {@link dev.sluice.logs.Logs} makes a {@link dev.sluice.logs.LogFormat}, a function from a line
 * to a {@link dev.sluice.Row}, for {@code Flow.from(Text.lines(path)).map(Logs.combined())}.
 *
 * <p>Absent values are null. The fields of each format:
 *
 * <table>
 *   <caption>Fields</caption>
 *   <tr><th>format</th><th>fields (type; String if not given)</th></tr>
 *   <tr><td>{@code combined}, {@code common}</td><td>client, ident, user, time (OffsetDateTime), method, path,
 *       protocol (e.g. {@code HTTP/1.1}), request (the text between the quotes), status (Integer), bytes (Long),
 *       and for combined referrer, agent. {@code -} for ident, user, status, bytes, referrer or agent is null.
 *       A request that is not {@code METHOD PATH} or {@code METHOD PATH HTTP/n} (such as {@code ""} or a
 *       garbled probe) has null method, path and protocol, and is kept whole in request. {@code \"} and
 *       {@code \\} in quoted fields are unescaped; other escapes ({@code \x22}) are kept as written.</td></tr>
 *   <tr><td>{@code apache-error}</td><td>time (LocalDateTime, microseconds kept), module (2.4 only), level,
 *       pid (Integer), tid (Long), client (as written, with the port in 2.4), message</td></tr>
 *   <tr><td>{@code syslog}</td><td>priority (Integer; 13 if the line has no PRI), facility (e.g. {@code local4}),
 *       severity (e.g. {@code debug}), timestamp (LocalDateTime for RFC 3164, OffsetDateTime for RFC 3339; null
 *       if the line has none), hostname, appname (rsyslog's programname: the tag up to {@code :}, {@code [} or
 *       {@code /}), procid (RFC 5424, or the digits in {@code tag[1234]:}), msgid, structureddata (RFC 5424,
 *       as text), tag (rsyslog's syslogtag, e.g. {@code sshd[12750]:}), message (RFC 3164: without the one space
 *       that separates it from the tag)</td></tr>
 *   <tr><td>{@code rfc5424}</td><td>priority (Integer), facility, severity, version (Integer), timestamp
 *       (OffsetDateTime), hostname, appname, procid, msgid, structureddata (the text as written), sdparams
 *       ({@code Map<String, Map<String, String>>}: SD-ID to parameter name to unescaped value, in order; a
 *       repeated parameter keeps its last value), message (a leading byte order mark removed)</td></tr>
 *   <tr><td>{@code logfmt}</td><td>one field per key, in order: the value as a String, or Boolean.TRUE for a
 *       bare key</td></tr>
 *   <tr><td>{@code json}</td><td>one field per key, in order, as {@link dev.sluice.json.JsonLines} reads
 *       them</td></tr>
 *   <tr><td>{@code lines}</td><td>line</td></tr>
 * </table>
 */
package dev.sluice.logs;
