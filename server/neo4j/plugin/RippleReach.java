// Ripple's Neo4j plugin: the reachability behind impact analysis, as one procedure call.
//
// `ripple.reach` walks the given relationship types breadth-first from the CIs named by id (each CI visited once,
// never an enumeration of paths), up to maxDepth hops, and returns every CI reached with the properties and
// outgoing edges impact propagation reads: the same rows as the Cypher query it stands in for
// (server/neo4j/repositories/impact-repository.ts, `reachQuery`), as JSON text in a few large rows. It reads only
// and decides nothing: which edges count and what a state is stay in Ripple's TypeScript. Without this plugin Ripple runs the
// Cypher query instead.
//
// Why it exists: on Neo4j Community (slotted runtime) the Cypher query spends most of its time building a map or
// list per row, and the JavaScript driver as much again decoding ~25 values per CI. Here the walk uses the
// kernel's cursors (no object per node or relationship) and the result crosses Bolt as a few strings that the
// server parses with JSON.parse.
//
// Bounded like any query: both loops call the transaction's assertOpen every CHECK_EVERY CIs, so a transaction
// timeout or a client that went away stops the walk; and what the procedure holds (the walk's arrays and ids, the
// JSON text) is counted in the transaction's memory tracker, so a walk too large for the memory Neo4j grants
// transactions fails with Neo4j's own memory-limit error instead of exhausting the heap.
package ripple;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongIntHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap;
import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.ResourceIterator;
import org.neo4j.graphdb.Transaction;
import org.neo4j.internal.kernel.api.CursorFactory;
import org.neo4j.internal.kernel.api.NodeCursor;
import org.neo4j.internal.kernel.api.PropertyCursor;
import org.neo4j.internal.kernel.api.Read;
import org.neo4j.internal.kernel.api.RelationshipTraversalCursor;
import org.neo4j.internal.kernel.api.TokenRead;
import org.neo4j.io.pagecache.context.CursorContext;
import org.neo4j.kernel.api.KernelTransaction;
import org.neo4j.kernel.impl.coreapi.InternalTransaction;
import org.neo4j.memory.MemoryTracker;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;
import org.neo4j.storageengine.api.PropertySelection;
import org.neo4j.storageengine.api.RelationshipSelection;
import org.neo4j.values.storable.BooleanValue;
import org.neo4j.values.storable.NumberValue;
import org.neo4j.values.storable.TextValue;
import org.neo4j.values.storable.Value;

public class RippleReach {
  private static final JsonFactory JSON = new JsonFactory();
  private static final int NO_TOKEN = -1;
  private static final int CHECK_EVERY = 256;
  /** CIs per result row: no single string grows large enough to need a contiguous slab of the heap. */
  private static final int CHUNK = 2048;
  /** Heap held per reached CI by the walk: an order and a depth slot, a hash map entry, and its id string. */
  private static final long WALK_BYTES_PER_CI = 8 + 4 + 32 + 80;

  @Context public Transaction tx;

  /** Some of the reached CIs as one JSON array of rows (see `reachQuery` for the row shape); concatenate the rows. */
  public static class Reached {
    public String json;

    public Reached(String json) {
      this.json = json;
    }
  }

  @Procedure(name = "ripple.reach", mode = Mode.READ)
  @Description("ripple.reach(ids, types, direction 'up'|'down', maxDepth): the CIs within maxDepth hops of the given ones over the given relationship types, breadth-first, each once, with what Ripple's impact analysis reads, as JSON.")
  public Stream<Reached> reach(
      @Name("ids") List<String> ids,
      @Name("types") List<String> types,
      @Name("direction") String direction,
      @Name("maxDepth") long maxDepth) throws IOException {
    Start s = start(types);
    if (s == null) return Stream.empty();
    KernelTransaction ktx = s.ktx();
    TokenRead tokens = s.tokens();
    int ci = s.ci();
    IntObjectHashMap<String> typeName = s.typeName();
    int[] typeIds = s.typeIds();
    Keys k = new Keys(tokens);
    int member = tokens.relationshipType("HAS_MEMBER");
    int ownedBy = tokens.relationshipType("OWNED_BY");
    int team = tokens.nodeLabel("Team");
    RelationshipSelection walk = selection(typeIds, direction);
    RelationshipSelection outgoing = RelationshipSelection.selection(typeIds, Direction.OUTGOING);
    MemoryTracker held = ktx.memoryTracker().getScopedMemoryTracker();
    try {
      // The rows stay counted until Neo4j has streamed them and closes the stream.
      return rows(ktx, walk(ktx, held, ids, walk, ci, k.id, maxDepth), held, k, ci, typeName, outgoing, member, ownedBy, team).stream().map(Reached::new).onClose(held::close);
    } catch (IOException | RuntimeException e) {
      held.close();
      throw e;
    }
  }

  /** The reached CIs' rows as JSON arrays of at most CHUNK rows each, counted in `held` as they are kept. */
  private static List<String> rows(KernelTransaction ktx, Walk w, MemoryTracker held, Keys k, int ci, IntObjectHashMap<String> typeName,
      RelationshipSelection outgoing, int member, int ownedBy, int team) throws IOException {
    Read read = ktx.dataRead();
    CursorFactory cursors = ktx.cursors();
    CursorContext context = ktx.cursorContext();
    MemoryTracker memory = ktx.memoryTracker();
    LongIntHashMap index = w.index;
    long[] order = w.order;
    List<String> idOf = w.ids;
    int n = w.ids.size();
    List<String> chunks = new ArrayList<>();
    StringWriter text = new StringWriter(CHUNK * 128);
    JsonGenerator out = JSON.createGenerator(text);
    try (NodeCursor node = cursors.allocateNodeCursor(context, memory);
        NodeCursor other = cursors.allocateNodeCursor(context, memory);
        RelationshipTraversalCursor rels = cursors.allocateRelationshipTraversalCursor(context, memory);
        PropertyCursor props = cursors.allocatePropertyCursor(context, memory)) {
      LongObjectHashMap<String> teamNames = new LongObjectHashMap<>();
      // Keys no CI has yet (no stale CI, no group rule) have no token and are left out of the selection.
      PropertySelection rowKeys = PropertySelection.selection(java.util.stream.IntStream.of(k.name, k.className, k.criticality, k.environment, k.stale, k.redundancy, k.lifecycle).filter(key -> key != NO_TOKEN).toArray());
      out.writeStartArray();
      for (int i = 0; i < n; i++) {
        if (i % CHECK_EVERY == 0) ktx.assertOpen();
        if (i > 0 && i % CHUNK == 0) {
          out = nextChunk(out, text, chunks, held);
          out.writeStartArray();
        }
        read.singleNode(order[i], node);
        if (!node.next()) continue;
        Value[] row = new Value[7];
        node.properties(props, rowKeys);
        while (props.next()) {
          int key = props.propertyKey();
          int slot = key == NO_TOKEN ? -1 : key == k.name ? 0 : key == k.className ? 1 : key == k.criticality ? 2 : key == k.environment ? 3
              : key == k.stale ? 4 : key == k.redundancy ? 5 : key == k.lifecycle ? 6 : -1;
          if (slot >= 0) row[slot] = props.propertyValue();
        }
        out.writeStartArray();
        out.writeString(idOf.get(i));
        writeValue(out, row[0]);
        writeValue(out, row[1]);
        writeValue(out, row[2]);
        writeValue(out, row[3]);
        writeValue(out, row[4]);
        writeValue(out, row[5]);
        out.writeBoolean("retired".equals(text(row[6])));
        // Owning teams.
        out.writeStartArray();
        if (ownedBy != NO_TOKEN) {
          node.relationships(rels, RelationshipSelection.selection(ownedBy, Direction.OUTGOING));
          while (rels.next()) {
            long t = rels.otherNodeReference();
            String name = teamNames.get(t);
            if (name == null && !teamNames.containsKey(t)) {
              read.singleNode(t, other);
              name = other.next() && other.hasLabel(team) ? text(property(other, props, k.name)) : null;
              teamNames.put(t, name);
            }
            if (name != null) out.writeString(name);
          }
        }
        out.writeEndArray();
        // Outgoing impacting edges: [to id, type, absent, to is a retired member].
        out.writeStartArray();
        node.relationships(rels, outgoing);
        while (rels.next()) {
          long b = rels.otherNodeReference();
          int at = index.getIfAbsent(b, -1);
          boolean isMember = rels.type() == member;
          String bid = null;
          boolean retired = false;
          if (at < 0 || isMember) {
            read.singleNode(b, other);
            if (!other.next() || !other.hasLabel(ci)) continue;
            if (at < 0) bid = text(property(other, props, k.id));
            if (isMember) retired = "retired".equals(text(property(other, props, k.lifecycle)));
          }
          if (at >= 0) bid = idOf.get(at);
          out.writeStartArray();
          out.writeString(bid == null ? "" : bid);
          out.writeString(typeName.get(rels.type()));
          if (k.absent == NO_TOKEN) {
            out.writeNull();
          } else {
            rels.properties(props, PropertySelection.selection(k.absent));
            writeValue(out, props.next() ? props.propertyValue() : null);
          }
          out.writeBoolean(retired);
          out.writeEndArray();
        }
        out.writeEndArray();
        out.writeEndArray();
      }
      nextChunk(out, text, chunks, held);
    }
    return chunks;
  }

  /** Ends the chunk `out` writes into `text`, keeps it (counted: two bytes a character), and starts the next. */
  private static JsonGenerator nextChunk(JsonGenerator out, StringWriter text, List<String> chunks, MemoryTracker held) throws IOException {
    out.writeEndArray();
    out.close();
    String chunk = text.toString();
    held.allocateHeap(2L * chunk.length());
    chunks.add(chunk);
    text.getBuffer().setLength(0);
    return JSON.createGenerator(text);
  }

  /** The ids of the reached CIs only: for "could these two blast radii meet?" before propagating either. */
  public static class ReachedIds {
    public List<String> ids;

    public ReachedIds(List<String> ids) {
      this.ids = ids;
    }
  }

  @Procedure(name = "ripple.reachIds", mode = Mode.READ)
  @Description("ripple.reachIds(ids, types, direction 'up'|'down', maxDepth): the ids of the CIs ripple.reach would return.")
  public Stream<ReachedIds> reachIds(
      @Name("ids") List<String> ids,
      @Name("types") List<String> types,
      @Name("direction") String direction,
      @Name("maxDepth") long maxDepth) {
    Start s = start(types);
    if (s == null) return Stream.of(new ReachedIds(List.of()));
    MemoryTracker held = s.ktx().memoryTracker().getScopedMemoryTracker();
    try {
      return Stream.of(new ReachedIds(walk(s.ktx(), held, ids, selection(s.typeIds(), direction), s.ci(), s.tokens().propertyKey("id"), maxDepth).ids));
    } finally {
      held.close();
    }
  }

  /** What both procedures start from: the transaction, its tokens, the CI label and the walked types that exist. */
  private record Start(KernelTransaction ktx, TokenRead tokens, int ci, IntObjectHashMap<String> typeName, int[] typeIds) {}

  /** null when this database has no CI at all. */
  private Start start(List<String> types) {
    KernelTransaction ktx = ((InternalTransaction) tx).kernelTransaction();
    TokenRead tokens = ktx.tokenRead();
    int ci = tokens.nodeLabel("CI");
    if (ci == NO_TOKEN) return null;
    IntObjectHashMap<String> typeName = new IntObjectHashMap<>();
    for (String type : types) {
      int t = tokens.relationshipType(type);
      if (t != NO_TOKEN) typeName.put(t, type);
    }
    return new Start(ktx, tokens, ci, typeName, typeName.keySet().toArray());
  }

  private static RelationshipSelection selection(int[] typeIds, String direction) {
    if (!"up".equals(direction) && !"down".equals(direction)) {
      throw new IllegalArgumentException("direction must be 'up' or 'down', not " + direction);
    }
    // Up: who needs these (incoming edges); down: what these need (outgoing edges).
    return RelationshipSelection.selection(typeIds, "up".equals(direction) ? Direction.INCOMING : Direction.OUTGOING);
  }

  /** Breadth-first walk result: order[i] is the node reference of the CI with id ids[i]; index maps back. */
  private static final class Walk {
    final LongIntHashMap index = new LongIntHashMap();
    long[] order = new long[64];
    final List<String> ids = new ArrayList<>();
  }

  private Walk walk(KernelTransaction ktx, MemoryTracker held, List<String> startIds, RelationshipSelection walk, int ci, int idKey, long maxDepth) {
    Walk w = new Walk();
    int[] depth = new int[64];
    int n = 0;
    for (String id : new java.util.LinkedHashSet<>(startIds)) {
      if (id == null) continue;
      try (ResourceIterator<Node> found = tx.findNodes(Label.label("CI"), "id", id)) {
        while (found.hasNext()) {
          @SuppressWarnings("removal")
          long ref = found.next().getId();
          if (w.index.containsKey(ref)) continue;
          if (n == w.order.length) {
            w.order = Arrays.copyOf(w.order, n * 2);
            depth = Arrays.copyOf(depth, n * 2);
          }
          w.index.put(ref, n);
          w.order[n] = ref;
          depth[n] = 0;
          w.ids.add(id);
          n++;
        }
      }
    }
    Read read = ktx.dataRead();
    CursorFactory cursors = ktx.cursors();
    try (NodeCursor node = cursors.allocateNodeCursor(ktx.cursorContext(), ktx.memoryTracker());
        NodeCursor other = cursors.allocateNodeCursor(ktx.cursorContext(), ktx.memoryTracker());
        RelationshipTraversalCursor rels = cursors.allocateRelationshipTraversalCursor(ktx.cursorContext(), ktx.memoryTracker());
        PropertyCursor props = cursors.allocatePropertyCursor(ktx.cursorContext(), ktx.memoryTracker())) {
      for (int head = 0; head < n; head++) {
        if (head % CHECK_EVERY == 0) {
          ktx.assertOpen();
          held.allocateHeap(WALK_BYTES_PER_CI * CHECK_EVERY);
        }
        if (depth[head] >= maxDepth) continue;
        read.singleNode(w.order[head], node);
        if (!node.next()) continue;
        node.relationships(rels, walk);
        while (rels.next()) {
          long v = rels.otherNodeReference();
          if (w.index.containsKey(v)) continue;
          read.singleNode(v, other);
          if (!other.next() || !other.hasLabel(ci)) continue;
          String vid = text(property(other, props, idKey));
          if (vid == null) continue;
          if (n == w.order.length) {
            w.order = Arrays.copyOf(w.order, n * 2);
            depth = Arrays.copyOf(depth, n * 2);
          }
          w.index.put(v, n);
          w.order[n] = v;
          depth[n] = depth[head] + 1;
          w.ids.add(vid);
          n++;
        }
      }
    }
    return w;
  }

  /** Property key tokens (-1 when no node has the key yet). */
  private static final class Keys {
    final int id, name, className, criticality, environment, stale, redundancy, lifecycle, absent;

    Keys(TokenRead t) {
      id = t.propertyKey("id");
      name = t.propertyKey("name");
      className = t.propertyKey("class");
      criticality = t.propertyKey("criticality");
      environment = t.propertyKey("environment");
      stale = t.propertyKey("stale");
      redundancy = t.propertyKey("redundancy");
      lifecycle = t.propertyKey("lifecycle");
      absent = t.propertyKey("absent");
    }
  }

  private static Value property(NodeCursor node, PropertyCursor props, int key) {
    if (key == NO_TOKEN) return null;
    node.properties(props, PropertySelection.selection(key));
    return props.next() ? props.propertyValue() : null;
  }

  private static String text(Value v) {
    return v instanceof TextValue t ? t.stringValue() : null;
  }

  private static void writeValue(JsonGenerator out, Value v) throws IOException {
    if (v instanceof TextValue t) out.writeString(t.stringValue());
    else if (v instanceof BooleanValue b) out.writeBoolean(b.booleanValue());
    else if (v instanceof NumberValue num) {
      double d = num.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 9e15) out.writeNumber((long) d);
      else out.writeNumber(d);
    } else out.writeNull();
  }
}
