// An independent ActivityPub peer built on Fedify, for commonsd's Go tests.
// One process = one server on 127.0.0.1:PORT with one actor, "alice".
//
//   node peer.mjs [PORT]        (or PORT=... node peer.mjs; 0 picks a free port)
//
// Prints "READY <port>" on stdout once listening; logs everything else to stderr.
// Test-only, unauthenticated control API under /_control/ (see README.md).
import "./temporal.mjs";
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";
import { inspect } from "node:util";
import { AsyncLocalStorage } from "node:async_hooks";
import { configure, getLogger } from "@logtape/logtape";
import {
  createFederation,
  generateCryptoKeyPair,
  MemoryKvStore,
  signRequest,
} from "@fedify/fedify";
import {
  Accept,
  Activity,
  Announce,
  Create,
  Delete,
  Endpoints,
  Follow,
  isActor,
  Join,
  Like,
  Note,
  Person,
  PropertyValue,
  PUBLIC_COLLECTION,
  Reject,
  Undo,
  Update,
} from "@fedify/vocab";

// ---------------------------------------------------------------- logging
// Everything goes to stderr (stdout carries only the READY line).
// FEDPEER_LOG=debug|info|warning|error (default info).
const logLevel = process.env.FEDPEER_LOG || "info";
function fmt(v) {
  return typeof v === "string" ? v : inspect(v, { depth: 4, breakLength: Infinity });
}
function stderrSink(record) {
  const msg = record.message.map((part, i) => (i % 2 === 0 ? part : fmt(part))).join("");
  // Fedify often keeps details (errors, URLs) in properties that the message omits.
  const showProps = record.category[0] !== "fedpeer" &&
    Object.keys(record.properties ?? {}).length > 0 &&
    (record.level === "warning" || record.level === "error" || record.level === "fatal" || logLevel === "debug");
  const props = showProps ? " " + fmt(record.properties) : "";
  process.stderr.write(
    `${new Date(record.timestamp).toISOString()} ${record.level.toUpperCase()} ${record.category.join(".")}: ${msg}${props}\n`,
  );
}
await configure({
  contextLocalStorage: new AsyncLocalStorage(),
  sinks: { stderr: stderrSink },
  loggers: [
    { category: "fedify", sinks: ["stderr"], lowestLevel: logLevel },
    { category: "fedpeer", sinks: ["stderr"], lowestLevel: "debug" },
    { category: ["logtape", "meta"], sinks: ["stderr"], lowestLevel: "warning" },
  ],
});
const log = getLogger("fedpeer");

// ---------------------------------------------------------------- config
const portArg = process.argv[2] ?? process.env.PORT ?? "0";
const requestedPort = Number.parseInt(portArg, 10);
if (!Number.isInteger(requestedPort) || requestedPort < 0) {
  process.stderr.write(`fedpeer: bad port ${JSON.stringify(portArg)}\n`);
  process.exit(2);
}
const USER = "alice";

// Listen first so that port 0 resolves to a real port before the origin is fixed.
const server = createServer();
await new Promise((resolve, reject) => {
  server.once("error", reject);
  server.listen(requestedPort, "127.0.0.1", resolve);
});
const port = server.address().port;
const origin = `http://127.0.0.1:${port}`;

// ---------------------------------------------------------------- state
// RSA-2048 like Mastodon (Fedify's generateCryptoKeyPair makes 4096-bit keys: slow to generate).
const rsaKeys = await crypto.subtle.generateKey(
  { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
  true,
  ["sign", "verify"],
);
// FEDPEER_ED25519=0 leaves out the Ed25519 key, and with it the Object Integrity
// Proofs (and the extra identity/data-integrity @contexts) on outgoing activities.
const ed25519Keys = process.env.FEDPEER_ED25519 === "0" ? null : await generateCryptoKeyPair("Ed25519");
const inbox = []; // recorded, verified inbox activities
const rejected = []; // activities whose signatures failed verification
const requests = []; // raw log of every non-GET request to the federation routes
const followers = new Map(); // actor id -> Recipient {id, inboxId, endpoints}
const following = new Map(); // target actor id -> {target, followId, state}
const notes = new Map(); // local id -> Note
const creates = new Map(); // local id -> Create
const outbox = []; // activities alice sent, newest last

// ---------------------------------------------------------------- federation
const federation = createFederation({
  kv: new MemoryKvStore(),
  // No queue: sendActivity delivers immediately and throws on failure,
  // so the control API can report delivery errors synchronously.
  origin,
  allowPrivateAddress: true,
  userAgent: { software: "commonsd-fedpeer/0" },
});

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== USER) return null;
    const keys = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Alice (fedpeer)",
      summary: "Fedify test peer for commonsd",
      url: ctx.getActorUri(identifier),
      inbox: ctx.getInboxUri(identifier),
      outbox: ctx.getOutboxUri(identifier),
      followers: ctx.getFollowersUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      manuallyApprovesFollowers: false,
      publicKey: keys[0].cryptographicKey, // RSA, for draft-cavage signatures
      assertionMethods: keys.map((k) => k.multikey),
    });
  })
  .setKeyPairsDispatcher((_ctx, identifier) =>
    identifier === USER ? [rsaKeys, ed25519Keys].filter((k) => k != null) : []
  );

federation.setObjectDispatcher(
  Note,
  "/users/{identifier}/notes/{id}",
  (_ctx, values) => values.identifier === USER ? notes.get(values.id) ?? null : null,
);
federation.setObjectDispatcher(
  Create,
  "/users/{identifier}/creates/{id}",
  (_ctx, values) => values.identifier === USER ? creates.get(values.id) ?? null : null,
);

federation.setFollowersDispatcher(
  "/users/{identifier}/followers",
  (_ctx, identifier) => identifier === USER ? { items: [...followers.values()] } : null,
).setCounter((_ctx, identifier) => identifier === USER ? followers.size : null);

federation.setOutboxDispatcher(
  "/users/{identifier}/outbox",
  (_ctx, identifier) => identifier === USER ? { items: outbox.toReversed() } : null,
).setCounter((_ctx, identifier) => identifier === USER ? outbox.length : null);

federation.setInboxDispatcher(
  "/users/{identifier}/inbox",
  (_ctx, identifier) => identifier === USER ? { items: [] } : null,
);

function errText(e) {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

async function objectSummary(obj) {
  if (obj == null) return null;
  let json = null;
  try { json = await obj.toJsonLd({ format: "compact" }); } catch { /* ignore */ }
  let type = json?.type ?? obj.constructor?.name ?? null;
  let content = null;
  try { content = obj.content?.toString() ?? null; } catch { /* not a content-bearing type */ }
  return { id: obj.id?.href ?? null, type, content, json };
}

// Records an activity; for Create/Update/Announce also dereferences the object.
async function record(ctx, activity) {
  const json = await activity.toJsonLd({ format: "compact" });
  const rawReq = activity.id == null ? undefined
    : requests.findLast((r) => r.parsed?.id === activity.id.href);
  const entry = {
    type: json?.type ?? activity.constructor.name,
    id: activity.id?.href ?? null,
    actor: activity.actorId?.href ?? null,
    object: activity.objectId?.href ?? null,
    json, // Fedify's re-serialization (activity.toJsonLd())
    raw: rawReq?.parsed ?? null, // the JSON exactly as POSTed to the inbox
    fetchedObject: null,
    fetchError: null,
    receivedAt: new Date().toISOString(),
    recipient: ctx.recipient ?? null, // null on the shared inbox
  };
  if (activity instanceof Create || activity instanceof Update || activity instanceof Announce) {
    try {
      const documentLoader = await ctx.getDocumentLoader({ identifier: USER });
      const obj = await activity.getObject({ documentLoader, contextLoader: ctx.contextLoader });
      if (obj == null) entry.fetchError = "getObject returned null";
      else entry.fetchedObject = await objectSummary(obj);
    } catch (e) {
      entry.fetchError = errText(e);
      log.warn("{type} {id}: could not get object {object}: {error}", { ...entry, json: undefined, error: entry.fetchError });
    }
  }
  inbox.push(entry);
  log.info("inbox: {type} {id} from {actor} (object {object})", { type: entry.type, id: entry.id, actor: entry.actor, object: entry.object });
  return entry;
}

const aliceUri = () => federation.createContext(new URL(origin), undefined).getActorUri(USER);

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Follow, async (ctx, follow) => {
    await record(ctx, follow);
    const me = ctx.getActorUri(USER);
    if (follow.objectId?.href !== me.href) {
      log.warn("Follow {id} is not for {me}; ignored", { id: follow.id?.href, me: me.href });
      return;
    }
    const follower = await follow.getActor(ctx);
    if (follower == null || follower.id == null || follower.inboxId == null) {
      log.error("Follow {id}: cannot resolve follower {actor} (or it has no inbox)", { id: follow.id?.href, actor: follow.actorId?.href });
      return;
    }
    followers.set(follower.id.href, {
      id: follower.id,
      inboxId: follower.inboxId,
      endpoints: follower.endpoints ?? null,
    });
    const accept = new Accept({
      id: new URL(`#accepts/${randomUUID()}`, me),
      actor: me,
      to: follower.id,
      // Embed a compact copy: getActor() above cached the whole follower in `follow`.
      object: new Follow({ id: follow.id, actor: follow.actorId, object: follow.objectId }),
    });
    try {
      await ctx.sendActivity({ identifier: USER }, follower, accept);
      outbox.push(accept);
    } catch (e) {
      log.error("sending Accept to {inbox} failed: {error}", { inbox: follower.inboxId.href, error: errText(e) });
    }
  })
  .on(Accept, async (ctx, accept) => {
    await record(ctx, accept);
    const f = following.get(accept.actorId?.href);
    if (f) f.state = "accepted";
  })
  .on(Reject, async (ctx, reject) => {
    await record(ctx, reject);
    const f = following.get(reject.actorId?.href);
    if (f) f.state = "rejected";
  })
  .on(Undo, async (ctx, undo) => {
    await record(ctx, undo);
    let obj = null;
    try { obj = await undo.getObject({ ...ctx, suppressError: true, documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader }); } catch { /* ignore */ }
    if (obj instanceof Follow && undo.actorId != null && obj.actorId?.href === undo.actorId.href) {
      followers.delete(undo.actorId.href);
    }
  })
  .on(Create, record)
  .on(Announce, record)
  .on(Update, record)
  .on(Delete, async (ctx, del) => {
    await record(ctx, del);
    if (del.actorId != null && del.objectId?.href === del.actorId.href) followers.delete(del.actorId.href);
  })
  .on(Like, record)
  .on(Activity, record) // catch-all for every other type
  .onUnverifiedActivity(async (_ctx, activity, reason) => {
    let json = null;
    try { json = await activity.toJsonLd({ format: "compact" }); } catch { /* ignore */ }
    const r = { id: activity.id?.href ?? null, actor: activity.actorId?.href ?? null, reason: inspect(reason, { depth: 4, breakLength: Infinity }), json, at: new Date().toISOString() };
    rejected.push(r);
    log.error("REJECTED unverified activity {id} from {actor}: {reason}", r);
  })
  .onError((_ctx, error) => {
    log.error("inbox listener error: {error}", { error: inspect(error) });
  });

// ---------------------------------------------------------------- control API
function ctxNow() {
  return federation.createContext(new URL(origin), undefined);
}

async function lookupActor(ctx, target) {
  const documentLoader = await ctx.getDocumentLoader({ identifier: USER });
  const obj = await ctx.lookupObject(target, { documentLoader });
  if (obj == null) throw new HttpError(502, `could not look up ${target}`);
  if (!isActor(obj)) throw new HttpError(400, `${target} is not an actor (${obj.constructor.name})`);
  if (obj.id == null || obj.inboxId == null) throw new HttpError(502, `${target} has no id or inbox`);
  return obj;
}

class HttpError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function react(body, kind) {
  if (typeof body.object !== "string") throw new HttpError(400, "object required");
  const ctx = ctxNow();
  const me = ctx.getActorUri(USER);
  const documentLoader = await ctx.getDocumentLoader({ identifier: USER });
  const obj = await ctx.lookupObject(body.object, { documentLoader });
  if (obj == null || obj.id == null) throw new HttpError(502, `could not look up ${body.object}`);
  const authorId = obj.attributionId ?? (obj.attributionIds?.[0]) ?? null;
  const author = authorId == null ? null : await lookupActor(ctx, authorId.href);
  const id = new URL(`#${kind}s/${randomUUID()}`, me);
  const activity = kind === "announce"
    ? new Announce({
      id, actor: me, object: obj.id, published: Temporal.Now.instant(),
      to: PUBLIC_COLLECTION,
      ccs: [ctx.getFollowersUri(USER), ...(author ? [author.id] : [])],
    })
    : new Like({ id, actor: me, object: obj.id, to: author?.id ?? null });
  const errors = [];
  if (kind === "announce" && followers.size > 0) {
    try { await ctx.sendActivity({ identifier: USER }, "followers", activity, { preferSharedInbox: true }); }
    catch (e) { errors.push(`followers: ${errText(e)}`); }
  }
  if (author != null && !(kind === "announce" && followers.has(author.id.href))) {
    try { await ctx.sendActivity({ identifier: USER }, author, activity); }
    catch (e) { errors.push(`${author.id.href}: ${errText(e)}`); }
  }
  outbox.push(activity);
  if (errors.length) throw new HttpError(502, `${kind} ${id.href} delivery failed: ${errors.join("; ")}`);
  return { id: id.href };
}

// Signs a POST by hand with RFC 9421 and alice's Ed25519 key (keyid = its
// Multikey id): Fedify 2.3 signs HTTP requests with RSA only, so this is how the
// peer exercises a server's Ed25519 verification. Returns the answer.
async function signedPostEd25519(inboxUrl, bodyText) {
  const ctx = ctxNow();
  const pair = (await ctx.getActorKeyPairs(USER)).find((p) => p.privateKey.algorithm.name === "Ed25519");
  if (pair == null) throw new HttpError(409, "no Ed25519 key (FEDPEER_ED25519=0)");
  const url = new URL(inboxUrl);
  const body = new TextEncoder().encode(bodyText);
  const digest = `sha-256=:${Buffer.from(await crypto.subtle.digest("SHA-256", body)).toString("base64")}:`;
  const created = Math.floor(Date.now() / 1000);
  // The Multikey's id (…#multikey-2), not the key pair's CryptographicKey id (…#key-2).
  const keyId = pair.multikey.id.href;
  const params = `("@method" "@target-uri" "@authority" "content-digest");created=${created};keyid="${keyId}";alg="ed25519"`;
  const base = [
    `"@method": POST`,
    `"@target-uri": ${url.href}`,
    `"@authority": ${url.host}`,
    `"content-digest": ${digest}`,
    `"@signature-params": ${params}`,
  ].join("\n");
  const sig = Buffer.from(await crypto.subtle.sign("Ed25519", pair.privateKey, new TextEncoder().encode(base)));
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/activity+json",
      "content-digest": digest,
      "signature-input": `sig1=${params}`,
      "signature": `sig1=:${sig.toString("base64")}:`,
    },
    body,
  });
  return { status: res.status, body: await res.text(), keyId };
}

// FEDPEER_FEP844E=1: alice's actor document also claims, in FEP-844e
// generator.implements, to verify RFC 9421 Ed25519 signatures — which Fedify
// 2.3 does not (it looks HTTP-signature keys up in publicKey only). For testing
// a sender's fallback when a peer refuses what it advertised.
const claimEd25519 = process.env.FEDPEER_FEP844E === "1";
async function withFEP844e(response) {
  const doc = await response.json();
  doc.generator = {
    type: "Application",
    implements: [
      { name: "RFC-9421: HTTP Message Signatures", href: "https://datatracker.ietf.org/doc/html/rfc9421" },
      { name: "RFC-9421 signatures using the Ed25519 algorithm", href: "https://datatracker.ietf.org/doc/html/rfc9421#name-eddsa-using-curve-edwards25" },
    ],
  };
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(JSON.stringify(doc), { status: response.status, headers });
}

// A pledge as FEP-0837 writes it: Offer{Agreement{stipulates: Commitment{
// satisfies: <appeal>#primary, provider: alice, resourceQuantity}}} to the
// appeal's author. Fedify's vocabulary has no Agreement or Commitment, so the
// JSON is written here (with its own inline context for the ValueFlows and
// OM2 terms, as FEP-0837 does) and the POST is signed by Fedify's signRequest
// with alice's RSA key (draft-cavage, Digest and Date signed), as its
// sendActivity would. Answers {id, status, body}.
async function sendPledge(body) {
  for (const k of ["appeal", "to", "amount", "currency"]) {
    if (typeof body[k] !== "string") throw new HttpError(400, "appeal, to, amount and currency required (strings)");
  }
  const ctx = ctxNow();
  const me = ctx.getActorUri(USER);
  const author = await lookupActor(ctx, body.to);
  const uuid = randomUUID();
  const id = new URL(`#pledges/${uuid}`, me).href;
  const offer = {
    "@context": [
      "https://www.w3.org/ns/activitystreams",
      {
        vf: "https://w3id.org/valueflows/ont/vf#",
        om2: "http://www.ontology-of-units-of-measure.org/resource/om-2/",
        Agreement: "vf:Agreement",
        Commitment: "vf:Commitment",
        stipulates: { "@id": "vf:stipulates", "@type": "@id" },
        satisfies: { "@id": "vf:satisfies", "@type": "@id" },
        action: "vf:action",
        provider: { "@id": "vf:provider", "@type": "@id" },
        receiver: { "@id": "vf:receiver", "@type": "@id" },
        resourceQuantity: "vf:resourceQuantity",
        hasUnit: "om2:hasUnit",
        hasNumericalValue: "om2:hasNumericalValue",
      },
    ],
    id,
    type: "Offer",
    actor: me.href,
    to: [author.id.href],
    object: {
      id: new URL(`#agreements/${uuid}`, me).href,
      type: "Agreement",
      content: typeof body.message === "string" ? body.message : "",
      stipulates: {
        id: new URL(`#commitments/${uuid}`, me).href,
        type: "Commitment",
        satisfies: `${body.appeal}#primary`,
        action: "transfer",
        provider: me.href,
        receiver: author.id.href,
        resourceQuantity: { hasUnit: "one", hasNumericalValue: body.amount, currency: body.currency },
      },
    },
  };
  const pair = (await ctx.getActorKeyPairs(USER)).find((p) => p.privateKey.algorithm.name === "RSASSA-PKCS1-v1_5");
  if (pair == null) throw new HttpError(500, "no RSA key");
  const inboxUrl = author.endpoints?.sharedInbox ?? author.inboxId;
  const req = new Request(inboxUrl, {
    method: "POST",
    headers: { "content-type": "application/activity+json", accept: "application/activity+json" },
    body: JSON.stringify(offer),
  });
  const signed = await signRequest(req, pair.privateKey, pair.keyId);
  const res = await fetch(signed);
  return { id, status: res.status, body: await res.text() };
}

const control = {
  // {appeal, to, amount, currency, message?}: pledge to an appeal with
  // FEP-0837 Offer{Agreement} (sendPledge); the author answers Accept or Reject.
  "POST /_control/pledge": sendPledge,
  // {inbox, activity}: POST activity (object or JSON text) to inbox, signed
  // with RFC 9421 + Ed25519 by hand; answers {status, body, keyId}.
  "POST /_control/signed-post": async (body) => {
    if (typeof body.inbox !== "string" || body.activity == null) throw new HttpError(400, "inbox and activity required");
    const text = typeof body.activity === "string" ? body.activity : JSON.stringify(body.activity);
    return await signedPostEd25519(body.inbox, text);
  },
  "GET /_control/ready": () => ({ actor: aliceUri().href, port, origin }),
  "GET /_control/inbox": () => inbox,
  "GET /_control/rejected": () => rejected,
  "GET /_control/requests": () => requests,
  "GET /_control/followers": () => [...followers.keys()],
  "GET /_control/following": () => [...following.values()],
  "POST /_control/follow": async (body) => {
    if (typeof body.target !== "string") throw new HttpError(400, "target required");
    const ctx = ctxNow();
    const target = await lookupActor(ctx, body.target);
    const me = ctx.getActorUri(USER);
    const follow = new Follow({
      id: new URL(`#follows/${randomUUID()}`, me),
      actor: me,
      object: target.id,
      to: target.id,
    });
    following.set(target.id.href, { target: target.id.href, followId: follow.id.href, state: "pending" });
    await ctx.sendActivity({ identifier: USER }, target, follow);
    outbox.push(follow);
    return { id: follow.id.href };
  },
  "POST /_control/unfollow": async (body) => {
    if (typeof body.target !== "string") throw new HttpError(400, "target required");
    const ctx = ctxNow();
    const target = await lookupActor(ctx, body.target);
    const f = following.get(target.id.href);
    if (f == null) throw new HttpError(409, `not following ${target.id.href}`);
    const me = ctx.getActorUri(USER);
    const undo = new Undo({
      id: new URL(`#undos/${randomUUID()}`, me),
      actor: me,
      to: target.id,
      object: new Follow({ id: new URL(f.followId), actor: me, object: target.id }),
    });
    await ctx.sendActivity({ identifier: USER }, target, undo);
    following.delete(target.id.href);
    outbox.push(undo);
    return { id: undo.id.href };
  },
  // Join a community (a Group): FEP-1b12 / commonsd membership.
  "POST /_control/join": async (body) => {
    if (typeof body.target !== "string") throw new HttpError(400, "target required");
    const ctx = ctxNow();
    const target = await lookupActor(ctx, body.target);
    const me = ctx.getActorUri(USER);
    const join = new Join({ id: new URL(`#joins/${randomUUID()}`, me), actor: me, object: target.id, to: target.id });
    await ctx.sendActivity({ identifier: USER }, target, join);
    outbox.push(join);
    return { id: join.id.href };
  },
  // Look an actor up (signed fetch) and report it as Fedify's vocab parsed it:
  // its profile fields are the PropertyValue entries of `attachments`.
  "POST /_control/lookup": async (body) => {
    if (typeof body.target !== "string") throw new HttpError(400, "target required");
    const ctx = ctxNow();
    const actor = await lookupActor(ctx, body.target);
    const documentLoader = await ctx.getDocumentLoader({ identifier: USER });
    const attachments = [];
    for await (const a of actor.getAttachments({ documentLoader, contextLoader: ctx.contextLoader })) {
      if (a instanceof PropertyValue) {
        attachments.push({ type: "PropertyValue", name: a.name?.toString() ?? null, value: a.value?.toString() ?? null });
      } else {
        attachments.push({ type: a?.constructor?.name ?? null, name: null, value: null });
      }
    }
    return { id: actor.id.href, type: actor.constructor.name, attachments };
  },
  // Announce (boost) or Like a remote object; delivered to alice's followers
  // (Announce only) and to the object's author.
  "POST /_control/announce": (body) => react(body, "announce"),
  "POST /_control/like": (body) => react(body, "like"),
  // Vote on a poll (a Question) exactly as Mastodon does: Create{Note{name:
  // the option, inReplyTo: the Question, attributedTo: alice, to: the poll's
  // author}}, sent to the author only.
  "POST /_control/vote": async (body) => {
    if (typeof body.question !== "string" || typeof body.option !== "string" || typeof body.to !== "string") {
      throw new HttpError(400, "question, option and to required");
    }
    const ctx = ctxNow();
    const me = ctx.getActorUri(USER);
    const target = await lookupActor(ctx, body.to);
    const id = new URL(`#votes/${randomUUID()}`, me);
    const note = new Note({ id, attribution: me, name: body.option, replyTarget: new URL(body.question), to: target.id });
    const create = new Create({ id: new URL(`${id.href}/activity`), actor: me, object: note, to: target.id });
    await ctx.sendActivity({ identifier: USER }, target, create);
    outbox.push(create);
    return { id: note.id.href };
  },
  "POST /_control/post": async (body) => {
    if (typeof body.content !== "string") throw new HttpError(400, "content required");
    const ctx = ctxNow();
    const me = ctx.getActorUri(USER);
    const to = (Array.isArray(body.to) && body.to.length ? body.to : [PUBLIC_COLLECTION.href])
      .map((u) => (u === "as:Public" || u === "Public" ? PUBLIC_COLLECTION.href : u));
    const id = randomUUID();
    const published = Temporal.Now.instant();
    const tos = to.map((u) => new URL(u));
    const ccs = [ctx.getFollowersUri(USER)];
    if (body.inReplyTo != null && typeof body.inReplyTo !== "string") throw new HttpError(400, "inReplyTo must be a URL");
    const note = new Note({
      id: ctx.getObjectUri(Note, { identifier: USER, id }),
      attribution: me,
      content: body.content,
      replyTarget: body.inReplyTo ? new URL(body.inReplyTo) : null,
      url: ctx.getObjectUri(Note, { identifier: USER, id }),
      published,
      tos,
      ccs,
    });
    const create = new Create({
      id: ctx.getObjectUri(Create, { identifier: USER, id }),
      actor: me,
      object: note,
      published,
      tos,
      ccs,
    });
    notes.set(id, note);
    creates.set(id, create);
    outbox.push(create);
    const sharedInbox = body.sharedInbox !== false;
    const errors = [];
    if (followers.size > 0) {
      try {
        await ctx.sendActivity({ identifier: USER }, "followers", create, { preferSharedInbox: sharedInbox });
      } catch (e) { errors.push(`followers: ${errText(e)}`); }
    }
    for (const u of to) {
      if (u === PUBLIC_COLLECTION.href || followers.has(u)) continue;
      try {
        const target = await lookupActor(ctx, u);
        await ctx.sendActivity({ identifier: USER }, target, create, { preferSharedInbox: sharedInbox });
      } catch (e) { errors.push(`${u}: ${errText(e)}`); }
    }
    if (errors.length) throw new HttpError(502, `note ${note.id.href} created but delivery failed: ${errors.join("; ")}`);
    return { id: note.id.href, activity: create.id.href };
  },
};

function json(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks);
}

server.on("request", async (req, res) => {
  try {
    const url = new URL(req.url, origin);
    const body = req.method === "GET" || req.method === "HEAD" ? null : await readBody(req);
    if (url.pathname.startsWith("/_control/")) {
      const handler = control[`${req.method} ${url.pathname}`];
      if (handler == null) return json(res, 404, { error: "no such control endpoint" });
      let parsed = {};
      if (body?.length) {
        try { parsed = JSON.parse(body.toString("utf8")); } catch { return json(res, 400, { error: "bad JSON" }); }
      }
      try {
        return json(res, 200, await handler(parsed));
      } catch (e) {
        const status = e instanceof HttpError ? e.status : 500;
        log.error("control {method} {path} failed ({status}): {error}", { method: req.method, path: url.pathname, status, error: e instanceof HttpError ? e.message : inspect(e) });
        return json(res, status, { error: e instanceof Error ? e.message : String(e) });
      }
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (Array.isArray(v)) for (const x of v) headers.append(k, x);
      else if (v != null) headers.set(k, v);
    }
    const request = new Request(url, { method: req.method, headers, body });
    let entry = null;
    if (body != null) {
      let parsed = null;
      try { parsed = JSON.parse(body.toString("utf8")); } catch { /* not JSON */ }
      entry = {
        method: req.method,
        path: url.pathname,
        status: null,
        headers: Object.fromEntries(headers),
        body: body.toString("utf8"),
        parsed,
        at: new Date().toISOString(),
      };
      requests.push(entry); // before fetch(): inbox listeners run inside it
    }
    let response = await federation.fetch(request, {
      contextData: undefined,
      onNotFound: () => new Response("Not Found", { status: 404 }),
      onNotAcceptable: () => new Response("Not Acceptable", { status: 406 }),
    });
    if (claimEd25519 && req.method === "GET" && url.pathname === `/users/${USER}` && response.status === 200 &&
      (response.headers.get("content-type") ?? "").includes("json")) {
      response = await withFEP844e(response);
    }
    if (entry != null) {
      entry.status = response.status;
      if (response.status >= 400) {
        entry.response = await response.clone().text();
        log.error("{method} {path} answered {status}: {response} (signature: {sig})", { ...entry, sig: headers.get("signature") ?? headers.get("signature-input") });
      }
    }
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (response.body && req.method !== "HEAD") {
      res.end(Buffer.from(await response.arrayBuffer()));
    } else {
      res.end();
    }
  } catch (e) {
    log.error("request {method} {url} crashed: {error}", { method: req.method, url: req.url, error: inspect(e) });
    if (!res.headersSent) json(res, 500, { error: String(e) });
    else res.end();
  }
});

for (const sig of ["SIGTERM", "SIGINT"]) process.on(sig, () => { server.close(); process.exit(0); });
log.info("fedpeer listening on {origin}, actor {actor}", { origin, actor: aliceUri().href });
process.stdout.write(`READY ${port}\n`);
