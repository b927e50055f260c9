package org.sslbench.spec;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Parses spec text to a node tree and nothing more. SnakeYAML's composer is used without any
 * constructor, so no Java object is ever built from a tag; the tree is then checked to hold only
 * the standard tags a spec needs, which refuses {@code !!javax.script.ScriptEngineManager} and
 * friends before anything reads a value.
 */
final class YamlTree {
    /** Specs are a page or two; a megabyte is a mistake or an attack. */
    static final int MAX_CODE_POINTS = 1 << 20;

    private static final Set<Tag> ALLOWED =
            Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.MAP, Tag.SEQ);

    private YamlTree() {
    }

    static YNode parse(String file, String text) throws SpecException {
        Node root;
        try {
            Composer composer = new Composer(new ParserImpl(new StreamReader(text), options()), new SpecResolver(), options());
            root = composer.getSingleNode();
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? e.getContext() + ": " : "";
            throw new SpecException(file, mark == null ? 0 : mark.getLine() + 1, "", "malformed YAML: " + context + problem);
        } catch (YAMLException e) {
            // Limits (size, aliases, nesting) have no mark.
            throw new SpecException(file, 0, "", "YAML refused: " + e.getMessage());
        }
        if (root == null) {
            throw new SpecException(file, 0, "", "the spec is empty");
        }
        checkTags(new YNode(file, "", root), root, Collections.newSetFromMap(new IdentityHashMap<>()));
        return new YNode(file, "", root);
    }

    private static LoaderOptions options() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowRecursiveKeys(false);
        // Anchors and aliases are handy for sharing an optimizer block; dozens of them are a billion-laughs attempt.
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(20);
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setProcessComments(false);
        options.setMergeOnCompose(false);
        // SnakeYAML's inspector would refuse global tags while composing, with no field in the
        // message. Letting them through is safe because nothing here constructs objects, and
        // checkTags refuses every non-standard tag with its line and field right after.
        options.setTagInspector(tag -> true);
        return options;
    }

    /**
     * Refuses non-standard tags and aliases that contain themselves (a cycle would make every later
     * reader loop); {@code ancestors} holds the nodes on the path from the root.
     */
    private static void checkTags(YNode at, Node node, Set<Node> ancestors) throws SpecException {
        if (!ALLOWED.contains(node.getTag())) {
            throw at.error("tag not allowed: " + node.getTag().getValue()
                    + " (specs may only hold strings, numbers, booleans, null, lists and maps)");
        }
        if (!ancestors.add(node)) {
            throw at.error("recursive alias not allowed");
        }
        if (node instanceof MappingNode map) {
            for (NodeTuple tuple : map.getValue()) {
                Node key = tuple.getKeyNode();
                String name = key instanceof ScalarNode scalar ? scalar.getValue() : "?";
                checkTags(new YNode(at.file(), at.path(), key), key, ancestors);
                YNode value = at.child(name, tuple.getValueNode());
                checkTags(value, tuple.getValueNode(), ancestors);
            }
        } else if (node instanceof SequenceNode seq) {
            for (int i = 0; i < seq.getValue().size(); i++) {
                Node item = seq.getValue().get(i);
                checkTags(new YNode(at.file(), at.path() + "[" + i + "]", item), item, ancestors);
            }
        }
        ancestors.remove(node);
    }

    /**
     * Implicit typing for plain scalars, narrower than YAML 1.1 on purpose: booleans are only
     * true/false (so {@code no} or {@code off} stay strings, the "Norway problem"), integers only
     * decimal (so {@code 010} is not 8), no timestamps, no {@code <<} merge keys, and
     * {@code .inf}/{@code .nan} are not numbers.
     */
    private static final class SpecResolver extends Resolver {
        private static final Pattern BOOLEAN = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");
        private static final Pattern INTEGER = Pattern.compile("^[-+]?(?:0|[1-9][0-9_]*)$");
        private static final Pattern DECIMAL = Pattern.compile(
                "^[-+]?(?:[0-9][0-9_]*\\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[0-9][0-9_]*[eE][-+]?[0-9]+|\\.[0-9_]+(?:[eE][-+]?[0-9]+)?)$");

        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, BOOLEAN, "tTfF", 10);
            addImplicitResolver(Tag.INT, INTEGER, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, DECIMAL, "-+0123456789.");
            addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
            addImplicitResolver(Tag.NULL, EMPTY, null, 10);
        }
    }
}
