<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>LanguagePacksDialog</name>
    <message numerus="yes">
        <source>%n language pack(s) available.</source>
        <translation>
            <numerusform>%n language pack available.</numerusform>
            <numerusform>%n language packs available.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RecoveryOffer</name>
    <message numerus="yes">
        <source>The session of {when} did not end normally (%n sentence(s), last: “{last}”). Restore it?</source>
        <translation>
            <numerusform>The session of {when} did not end normally (%n sentence, last: “{last}”). Restore it?</numerusform>
            <numerusform>The session of {when} did not end normally (%n sentences, last: “{last}”). Restore it?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Restored %n sentence(s)</source>
        <translation>
            <numerusform>Restored %n sentence</numerusform>
            <numerusform>Restored %n sentences</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VocabularyDialog</name>
    <message numerus="yes">
        <source>%n term(s), %1 of %2 prompt tokens used.</source>
        <translation>
            <numerusform>%n term, %1 of %2 prompt tokens used.</numerusform>
            <numerusform>%n terms, %1 of %2 prompt tokens used.</numerusform>
        </translation>
    </message>
</context>
</TS>
