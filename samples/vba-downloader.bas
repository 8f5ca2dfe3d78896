Attribute VB_Name = "Module1"
' REPLICA-DEFANGED: text of a module, never run
Sub AutoOpen()
    Set sh = CreateObject("WScript.Shell")
End Sub
