Attribute VB_Name = "Module1"
Sub AutoOpen()
    MsgBox "REPLICA-DEFANGED"
End Sub
