// Runs epubcheck on each file named, one after the other, in one Java VM: the VM's start and
// epubcheck's schemas are paid once (tests/test_epub.py starts it with `java -cp epubcheck.jar`,
// Java's launcher of a single source file). Each report follows a line "== <path>".
public class EpubCheckEach {
    public static void main(String[] paths) {
        for (String path : paths) {
            System.out.println("== " + path);
            System.out.flush();
            new com.adobe.epubcheck.tool.EpubChecker().run(new String[] {path});
            System.out.flush();
            System.err.flush();
        }
    }
}
