/**
 * HTTP pieces the cloud providers share: the call executor with its retry rules ({@code HttpCalls}, a
 * {@code RetryPolicy}, each provider's {@code CallRules} for what its refusals mean, one {@code CallException}),
 * request bodies that stream, and knowing whether a request left at all.
 */
package dev.cct.sandbox.http;
