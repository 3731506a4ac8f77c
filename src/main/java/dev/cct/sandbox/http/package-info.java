/** HTTP pieces the cloud providers share: request bodies that stream, and knowing whether a request left at all. */
package dev.cct.sandbox.http;
